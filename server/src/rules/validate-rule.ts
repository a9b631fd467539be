/** Checks at save time that a collection's rule compiles against its (new) schema. */
import type { Collection, RuleName } from '../collections/model.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import type { Catalog } from '../collections/catalog.ts';
import { compileExpression } from './compile-expression.ts';
import { anonymousRequest } from './request-info.ts';

/** Throws a 400 AppError naming the problem when the rule does not compile. */
export function validateRule(
  registry: CollectionRegistry,
  collection: Collection,
  _rule: RuleName,
  text: string | null,
  /** The collections as they will be (e.g. mid-import); default: the registry. */
  catalog?: Catalog,
): void {
  if (text === null || text.trim() === '') return;
  const overlay: CollectionRegistry = {
    version: registry.version,
    dialect: registry.dialect,
    all: () => catalog?.all() ?? registry.all(),
    reload: () => registry.reload(),
    find: (key) => (key === collection.id || key.toLowerCase() === collection.name.toLowerCase() ? collection : (catalog ?? registry).find(key)),
    get: (key) => overlay.find(key) ?? registry.get(key),
  };
  compileExpression(text, { registry: overlay, collection, alias: 't', info: anonymousRequest(), trusted: true });
}
