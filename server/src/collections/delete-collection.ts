/**
 * Deleting and truncating collections. Delete refuses system collections and collections another
 * collection's relation field points to; a view that would break refuses it too (see apply-schema).
 * Steps (db/steps.ts) for the caller's transaction.
 */
import { now } from '../shared/clock.ts';
import { steps, type Steps } from '../db/index.ts';
import type { Dialect } from '../shared/dialect/index.ts';
import { quoteIdent } from '../db/sql.ts';
import { badRequest, fieldError } from '../shared/errors.ts';
import type { Catalog } from './catalog.ts';
import { dropSchema } from './ddl/apply-schema.ts';
import type { Collection } from './model.ts';
import { deleteCollectionRow } from './store.ts';

/** `other.field` names of relation fields in other collections that point to `target`. */
export function findReferences(catalog: Catalog, target: Collection): string[] {
  const refs: string[] = [];
  for (const c of catalog.all()) {
    if (c.id === target.id) continue;
    for (const f of c.fields) if (f.type === 'relation' && f.collectionId === target.id) refs.push(`${c.name}.${f.name}`);
  }
  return refs;
}

export function* deleteCollection(dialect: Dialect, catalog: Catalog, collection: Collection): Steps<void> {
  if (collection.system) throw badRequest('System collections cannot be deleted.');
  const refs = findReferences(catalog, collection);
  if (refs.length > 0) {
    throw badRequest(`Failed to delete the collection: it is referenced by ${refs.join(', ')}.`);
  }
  yield* dropSchema({ dialect, catalog, failMessage: 'Failed to delete collection due to existing dependency.' }, collection);
  yield* deleteCollectionRow(dialect, collection.id);
}

export function* truncateCollection(dialect: Dialect, collection: Collection): Steps<void> {
  if (collection.type === 'view') throw badRequest('View collections cannot be truncated.');
  // Without a superuser nobody could administer the server any more (PocketBase refuses too).
  if (collection.name === '_superusers') throw badRequest('You can\'t delete the only existing superuser.');
  const table = quoteIdent(collection.name);
  // Every removed record enters the change log as a delete, in the same transaction, so realtime
  // subscribers and resuming clients see the truncate (secrets are never copied into the log).
  const columns = collection.fields
    .filter((f) => f.type !== 'password' && !(collection.type === 'auth' && f.name === 'tokenKey'))
    .map((f) => `'${f.name}', ${quoteIdent(f.name)}`)
    .join(', ');
  const object = dialect.name === 'postgres' ? 'json_build_object' : 'json_object';
  yield* steps.run(
    `INSERT INTO "_changes" ("collectionId", "recordId", "action", "created", "data")
     SELECT ?, "id", 'delete', ?, ${object}(${columns}) FROM ${table} ORDER BY _rowid_`,
    [collection.id, now()],
  );
  yield* steps.run(`DELETE FROM ${table}`);
}
