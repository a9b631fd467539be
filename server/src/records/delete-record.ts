/**
 * DELETE /records/{id}: deleteRule checked against the row; references from other collections
 * are resolved in the same transaction — cascadeDelete removes a referencing record that is left
 * with no reference (a multi-relation with other ids only loses this one), a required reference
 * blocks with 400, an optional one is cleared.
 */
import { quoteIdent } from '../db/sql.ts';
import { all, get, run, runCounted, runSteps, wait, type Steps } from '../db/steps.ts';
import { badRequest, notFound } from '../shared/errors.ts';
import { authorize } from '../rules/index.ts';
import { superusersOnly } from './list-records.ts';
import { isMultiValued, type Collection, type Field } from '../collections/model.ts';
import type { Row } from './serialize.ts';
import { rowUnderRuleSteps } from './view-record.ts';
import type { WriteContext } from './write-context.ts';
import { assertWritable } from './write-context.ts';
import { updateRow } from './update-record.ts';
import { ruleSql } from './write-sql.ts';

const SUPERUSERS = '_superusers';

/** Cascades deeper than this are almost certainly cycles in the data. */
export const MAX_CASCADE_DEPTH = 32;

const blocked = () =>
  badRequest('Failed to delete record. Make sure that the record is not part of a required relation reference.');

interface Reference {
  collection: Collection;
  field: Field;
}

/** Per collection version: the registry builds new objects on every reload, so entries never go stale. */
const referencesCache = new WeakMap<Collection, Reference[]>();

/** Relation fields of other collections that point at `target` (computed once per schema version). */
function referencesTo(ctx: WriteContext, target: Collection): Reference[] {
  let out = referencesCache.get(target);
  if (out) return out;
  out = [];
  for (const c of ctx.deps.registry.all()) {
    if (c.type === 'view') continue;
    for (const f of c.fields) if (f.type === 'relation' && f.collectionId === target.id) out.push({ collection: c, field: f });
  }
  referencesCache.set(target, out);
  return out;
}

function* referencingRows(ctx: WriteContext, ref: Reference, id: string): Steps<Row[]> {
  const col = quoteIdent(ref.field.name);
  const table = quoteIdent(ref.collection.name);
  const dialect = ctx.deps.q.dialect;
  const where = !isMultiValued(ref.field)
    ? `${col} = ?`
    : dialect.name === 'sqlite'
      ? `EXISTS (SELECT 1 FROM json_each(${col}) WHERE value = ?)`
      : `EXISTS (SELECT 1 FROM ${dialect.jsonEach(col, 'je')} WHERE je.value = ?)`;
  return yield* all<Row>(`SELECT * FROM ${table} WHERE ${where}`, [id]);
}

/** Deletes without rules (the caller already authorised the root record). */
export function* deleteCascading(ctx: WriteContext, collection: Collection, row: Row, depth = 0): Steps<void> {
  if (depth > MAX_CASCADE_DEPTH) throw badRequest('Failed to delete record: relation cascade is too deep.');
  const id = String(row.id);
  for (const ref of referencesTo(ctx, collection)) {
    for (const other of yield* referencingRows(ctx, ref, id)) {
      if (ref.collection.id === collection.id && other.id === id) continue;
      const remaining = isMultiValued(ref.field)
        ? (JSON.parse(String(other[ref.field.name] || '[]')) as unknown[]).filter((v) => v !== id)
        : [];
      // As PocketBase: a multi-relation that still points at other records only loses this id.
      if (ref.field.cascadeDelete && remaining.length === 0) {
        yield* deleteCascading(ctx, ref.collection, other, depth + 1);
        continue;
      }
      if (ref.field.required && remaining.length === 0) throw blocked();
      const value = isMultiValued(ref.field) ? JSON.stringify(remaining) : '';
      const updated = yield* updateRow(ref.collection, String(other.id), { [ref.field.name]: value });
      yield* ctx.sink.record(ref.collection, 'update', updated, other);
    }
  }
  const changes = yield* runCounted(`DELETE FROM ${quoteIdent(collection.name)} WHERE "id" = ?`, [id]);
  if (changes === 0) return; // already removed earlier in this cascade
  if (collection.type === 'auth') {
    yield* run('DELETE FROM "_sessions" WHERE "collectionId" = ? AND "recordId" = ?', [collection.id, id]);
  }
  // Without a superuser nobody could administer the server any more; the transaction rolls back.
  if (collection.name === SUPERUSERS && !(yield* get(`SELECT 1 FROM ${quoteIdent(SUPERUSERS)} LIMIT 1`))) {
    throw badRequest("You can't delete the only existing superuser.");
  }
  yield* ctx.sink.record(collection, 'delete', row);
}

/**
 * Nothing but the row itself to handle (no references to it, no sessions, not the superusers,
 * no before hook to show the row to): the rule goes into the DELETE's WHERE and the row comes
 * back from RETURNING, one statement instead of a SELECT under the rule and a DELETE.
 */
function deletesAlone(ctx: WriteContext, collection: Collection): boolean {
  if (collection.type === 'auth' || collection.name === SUPERUSERS) return false;
  const hooks = ctx.deps.hooks;
  if (hooks && hooks.handles?.('delete', collection) !== false) return false;
  return referencesTo(ctx, collection).length === 0;
}

function* deleteUnderRule(ctx: WriteContext, collection: Collection, id: string): Steps<Row> {
  const access = authorize({ registry: ctx.deps.registry, collection, rule: 'deleteRule', info: ctx.info });
  if (access.kind === 'superusers_only') throw superusersOnly();
  const base = `DELETE FROM ${quoteIdent(collection.name)} AS t WHERE t."id" = ?`;
  const params: unknown[] = [id];
  let sql = `${base} RETURNING *`;
  if (access.kind === 'where') {
    const where = access.where;
    sql = ruleSql(collection, 'delete under rule', where.sql, () => `${base} AND (${where.sql}) RETURNING *`);
    params.push(...where.params);
  }
  const row = yield* get<Row>(sql, params);
  if (!row) throw notFound();
  yield* ctx.sink.record(collection, 'delete', row);
  return row;
}

/** Runs inside a transaction (`ctx.deps.q`). Returns the deleted row. */
export function deleteInTx(ctx: WriteContext, collection: Collection, id: string): Promise<Row> {
  return runSteps(deleteSteps(ctx, collection, id), ctx.deps.q);
}

/** The delete as steps of the write's transaction (see db/steps.ts). Returns the deleted row. */
export function* deleteSteps(ctx: WriteContext, collection: Collection, id: string): Steps<Row> {
  assertWritable(collection);
  if (deletesAlone(ctx, collection)) return yield* deleteUnderRule(ctx, collection, id);
  const row = yield* rowUnderRuleSteps(ctx.deps, collection, id, 'deleteRule', ctx.info);
  const hooked = ctx.deps.hooks?.before({ action: 'delete', collection, body: {}, current: row, info: ctx.info, q: ctx.deps.q, db: ctx.deps.db });
  if (hooked) yield* wait(hooked);
  yield* deleteCascading(ctx, collection, row);
  return row;
}

/**
 * Deletes every record of `collection` as a record delete would (cascades, cleared optional
 * references, a required reference or the last superuser refusing), without rules.
 */
export function* truncateSteps(ctx: WriteContext, collection: Collection): Steps<void> {
  assertWritable(collection);
  for (const row of yield* all<Row>(`SELECT * FROM ${quoteIdent(collection.name)} ORDER BY _rowid_`)) {
    yield* deleteCascading(ctx, collection, row);
  }
}
