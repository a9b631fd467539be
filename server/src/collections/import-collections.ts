/**
 * `PUT /api/collections/import`: creates or updates every listed collection (matched by id, else
 * name) and, with deleteMissing, deletes the non-system collections not listed — all in one
 * transaction. Like PocketBase, an existing collection takes the sent keys over its current state
 * and, without deleteMissing, keeps fields the import does not mention. Steps (db/steps.ts).
 */
import { AppError, fieldError, isAppError } from '../shared/errors.ts';
import { newCollectionId } from '../shared/ids.ts';
import { catalogOf } from './catalog.ts';
import { quoteIdent } from '../db/sql.ts';
import { steps, type Steps } from '../db/index.ts';
import type { Collection } from './model.ts';
import { checkRules, saveCollection, type SaveDeps } from './save-collection.ts';
import { deleteCollectionRow } from './store.ts';
import { parseCollectionInput, type CollectionInput } from './wire.ts';

const FAIL = 'Failed to import collections.';

function importError(message: string): AppError {
  return new AppError('validation', FAIL, { collections: fieldError('validation_collections_import_failure', message) });
}

function keepUnmentionedFields(input: CollectionInput, existing: Collection): Record<string, unknown>[] {
  const fields = [...(input.fields ?? [])];
  for (const f of existing.fields) {
    const mentioned = fields.some(
      (x) => x.id === f.id || (!x.id && typeof x.name === 'string' && x.name.toLowerCase() === f.name.toLowerCase()),
    );
    if (!mentioned) fields.push(structuredClone(f));
  }
  return fields;
}

interface Planned {
  input: CollectionInput;
  existing?: Collection;
}

function plan(list: unknown[], current: Map<string, Collection>, deleteMissing: boolean): Planned[] {
  const catalog = catalogOf(current.values());
  const seen = new Set<string>();
  const planned = list.map((raw, i): Planned => {
    const input = parseCollectionInput(raw, FAIL);
    const existing = (input.id && catalog.find(input.id)?.id === input.id ? catalog.find(input.id) : undefined) ??
      (input.name ? catalog.find(input.name) : undefined);
    const id = existing?.id ?? input.id ?? newCollectionId();
    if (seen.has(id)) throw importError(`The collection at position ${i} is listed twice.`);
    seen.add(id);
    if (existing) {
      if (input.fields === undefined && deleteMissing) input.fields = [];
      else if (input.fields !== undefined && !deleteMissing) input.fields = keepUnmentionedFields(input, existing);
    }
    return { input: { ...input, id }, existing };
  });
  // Tables first, views last: a view's query needs its tables.
  return [...planned.filter((p) => (p.existing?.type ?? p.input.type) !== 'view'), ...planned.filter((p) => (p.existing?.type ?? p.input.type) === 'view')];
}

/** Throws a 400 before any work when the list is empty or not a list. */
export function checkImportList(list: unknown): void {
  if (!Array.isArray(list) || list.length === 0) {
    throw new AppError('validation', FAIL, { collections: fieldError('validation_required', 'Missing required value.') });
  }
}

/** Run inside one transaction (the caller's): a failure leaves every collection as it was. */
export function* importCollections(deps: SaveDeps, existing: Collection[], list: unknown[], deleteMissing: boolean): Steps<void> {
  checkImportList(list);
  const { dialect } = deps;
  {
    const current = new Map(existing.map((c) => [c.id, c]));
    const planned = plan(list, current, deleteMissing);
    const listed = new Set(planned.map((p) => p.input.id));
    if (deleteMissing) {
      const missing = existing.filter((c) => !listed.has(c.id) && !c.system);
      for (const c of missing) current.delete(c.id);
      for (const c of [...missing].reverse()) {
        yield* steps.exec(`DROP ${c.type === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS ${quoteIdent(c.name)}`);
        yield* deleteCollectionRow(dialect, c.id);
      }
    }
    const pendingIds = new Set(planned.filter((p) => !p.existing).map((p) => p.input.id!));
    for (const p of planned) {
      try {
        const saved = yield* saveCollection(deps, {
          input: p.input,
          original: p.existing ? current.get(p.existing.id) : undefined,
          catalog: catalogOf(current.values()),
          pendingIds,
          failMessage: FAIL,
          deferRules: true,
        });
        current.set(saved.id, saved);
        pendingIds.delete(saved.id);
      } catch (err) {
        throw failedFor(err, p.input.name ?? p.existing?.name ?? '', p.input.id!);
      }
    }
    // Rules are checked once every collection exists, so they may name collections of this import.
    const finalCatalog = catalogOf(current.values());
    for (const p of planned) {
      const saved = current.get(p.input.id!)!;
      try {
        checkRules(saved, deps.validateRule, FAIL, finalCatalog);
      } catch (err) {
        throw failedFor(err, saved.name, saved.id);
      }
    }
    yield* checkViewsResolve([...current.values()]);
  }
}

function failedFor(err: unknown, name: string, id: string): unknown {
  if (!isAppError(err) || err.code !== 'validation') return err;
  return importError(`Data validations failed for collection "${name}" (${id}): ${JSON.stringify(err.data)}`);
}

/** After deletions, every remaining view must still compile. */
function* checkViewsResolve(collections: Collection[]): Steps<void> {
  for (const c of collections) {
    if (c.type !== 'view') continue;
    try {
      yield* steps.columnsOf(`SELECT * FROM ${quoteIdent(c.name)}`);
    } catch (err) {
      const why = (err as { cause?: Error }).cause?.message ?? (err as Error).message;
      throw importError(`The view collection "${c.name}" no longer resolves: ${why}.`);
    }
  }
}
