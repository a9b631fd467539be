/**
 * PATCH /records/{id}: the updateRule is checked against the stored row (404 when it does not
 * admit it), `@request.body.*` sees the sent body with modifiers folded; only sent fields change.
 */
import { quoteIdent } from '../db/sql.ts';
import { get, run, runSteps, wait, type Steps } from '../db/steps.ts';
import type { Collection } from '../collections/model.ts';
import { notFound } from '../shared/errors.ts';
import { authorize, withRequestBody } from '../rules/index.ts';
import { resolveRequestBody } from './request-body.ts';
import { superusersOnly } from './list-records.ts';
import { prepareValues } from './prepare-values.ts';
import type { Row } from './serialize.ts';
import { rowUnderRuleSteps } from './view-record.ts';
import type { WriteContext } from './write-context.ts';
import { assertWritable, manageAccess } from './write-context.ts';
import type { PreparedFiles } from './record-files.ts';
import { ruleSql, updateSql } from './write-sql.ts';

export function* updateRow(collection: Collection, id: string, values: Record<string, unknown>): Steps<Row> {
  const table = quoteIdent(collection.name);
  const cols = Object.keys(values).filter((c) => c !== 'id');
  if (cols.length === 0) return (yield* get<Row>(`SELECT * FROM ${table} WHERE "id" = ?`, [id]))!;
  const params = cols.map((c) => values[c]);
  params.push(id);
  return (yield* get<Row>(updateSql(collection, cols), params))!;
}

/** The column the rule's verdict is read into; a space keeps it apart from every field name. */
const RULE_VERDICT = 'rule verdict';

/**
 * The stored row, and — when the updateRule cannot depend on the body (it never names
 * `@request.body`) — whether the rule admits it, read in the same statement: the rule is a
 * column of the row's SELECT instead of a second SELECT under the rule. `admitted` undefined:
 * the rule needs the folded body, the caller checks it after folding.
 */
function* readForUpdate(ctx: WriteContext, collection: Collection, id: string, superuser: boolean): Steps<{ stored: Row | undefined; admitted?: boolean }> {
  const table = `${quoteIdent(collection.name)} t`;
  const text = collection.updateRule ?? '';
  if (!superuser && text.includes('body')) {
    return { stored: yield* get<Row>(`SELECT t.* FROM ${table} WHERE t."id" = ?`, [id]) };
  }
  const access = authorize({ registry: ctx.deps.registry, collection, rule: 'updateRule', info: ctx.info });
  if (access.kind === 'superusers_only') throw superusersOnly();
  if (access.kind === 'all') return { stored: yield* get<Row>(`SELECT t.* FROM ${table} WHERE t."id" = ?`, [id]), admitted: true };
  const where = access.where;
  const sql = ruleSql(collection, 'read for update', where.sql, () => `SELECT t.*, CASE WHEN (${where.sql}) THEN 1 ELSE 0 END AS "${RULE_VERDICT}" FROM ${table} WHERE t."id" = ?`);
  const row = yield* get<Row>(sql, [...where.params, id]);
  if (!row) return { stored: undefined };
  const admitted = row[RULE_VERDICT] === 1;
  delete row[RULE_VERDICT];
  return { stored: row, admitted };
}

/** Runs inside a transaction (`ctx.deps.q`). Returns the stored row. */
export function updateInTx(
  ctx: WriteContext,
  collection: Collection,
  id: string,
  sent: Record<string, unknown>,
  passwordHash: string | undefined,
  files?: PreparedFiles,
): Promise<Row> {
  return runSteps(updateSteps(ctx, collection, id, sent, passwordHash, files), ctx.deps.q);
}

/** The update as steps of the write's transaction (see db/steps.ts). Returns the stored row. */
export function* updateSteps(
  ctx: WriteContext,
  collection: Collection,
  id: string,
  sent: Record<string, unknown>,
  passwordHash: string | undefined,
  files?: PreparedFiles,
): Steps<Row> {
  const { deps } = ctx;
  assertWritable(collection);
  const superuser = ctx.info.auth?.isSuperuser === true;
  if (!superuser && collection.updateRule === null) throw superusersOnly();
  // The stored row first (modifiers fold into its values), then the rule sees the folded body.
  const { stored, admitted } = yield* readForUpdate(ctx, collection, id, superuser);
  if (!stored) throw notFound();
  const body = resolveRequestBody(collection, sent, stored, superuser);
  const info = withRequestBody(ctx.info, body);
  if (admitted === false) throw notFound();
  const current = admitted ? stored : yield* rowUnderRuleSteps(deps, collection, id, 'updateRule', info);
  const hooked = deps.hooks?.before({ action: 'update', collection, body, current, info, q: deps.q, db: deps.db });
  if (hooked) yield* wait(hooked);
  const values = yield* prepareValues({
    dialect: deps.q.dialect,
    registry: deps.registry,
    collection,
    body,
    current,
    privileged: yield* manageAccess(deps, collection, id, info),
    passwordHash,
    newFiles: files?.newNames,
  });
  const row = yield* updateRow(collection, id, values);
  // A rotated tokenKey (new password or email) ends every session of the record.
  if (collection.type === 'auth' && values.tokenKey !== undefined) {
    yield* run('DELETE FROM "_sessions" WHERE "collectionId" = ? AND "recordId" = ?', [collection.id, id]);
  }
  yield* ctx.sink.record(collection, 'update', row, current);
  return row;
}
