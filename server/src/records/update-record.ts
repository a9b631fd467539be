/**
 * PATCH /records/{id}: the updateRule is checked against the stored row (404 when it does not
 * admit it), `@request.body.*` sees the sent body with modifiers folded; only sent fields change.
 */
import { quoteIdent } from '../db/sql.ts';
import type { Collection } from '../collections/model.ts';
import { notFound } from '../shared/errors.ts';
import { withRequestBody } from '../rules/index.ts';
import { resolveRequestBody } from './request-body.ts';
import { superusersOnly } from './list-records.ts';
import { prepareValues } from './prepare-values.ts';
import type { Row } from './serialize.ts';
import { loadRowUnderRule } from './view-record.ts';
import type { WriteContext } from './write-context.ts';
import { assertWritable, hasManageAccess } from './write-context.ts';
import type { PreparedFiles } from './record-files.ts';

export async function updateRow(ctx: WriteContext, collection: Collection, id: string, values: Record<string, unknown>): Promise<Row> {
  const table = quoteIdent(collection.name);
  const cols = Object.keys(values).filter((c) => c !== 'id');
  if (cols.length === 0) return (await ctx.deps.q.get<Row>(`SELECT * FROM ${table} WHERE "id" = ?`, [id]))!;
  const sets = cols.map((c) => `${quoteIdent(c)} = ?`).join(', ');
  return (await ctx.deps.q.get<Row>(`UPDATE ${table} SET ${sets} WHERE "id" = ? RETURNING *`, [...cols.map((c) => values[c]), id]))!;
}

export async function updateInTx(
  ctx: WriteContext,
  collection: Collection,
  id: string,
  sent: Record<string, unknown>,
  passwordHash: string | undefined,
  files?: PreparedFiles,
): Promise<Row> {
  const { deps } = ctx;
  assertWritable(collection);
  const superuser = ctx.info.auth?.isSuperuser === true;
  if (!superuser && collection.updateRule === null) throw superusersOnly();
  // The stored row first (modifiers fold into its values), then the rule sees the folded body.
  const stored = await deps.q.get<Row>(`SELECT * FROM ${quoteIdent(collection.name)} WHERE "id" = ?`, [id]);
  if (!stored) throw notFound();
  const body = resolveRequestBody(collection, sent, stored, superuser);
  const info = withRequestBody(ctx.info, body);
  const current = await loadRowUnderRule(deps, collection, id, 'updateRule', info);
  deps.hooks?.before({ action: 'update', collection, body, current, info, db: deps.db });
  const values = await prepareValues({
    q: deps.q,
    registry: deps.registry,
    collection,
    body,
    current,
    privileged: await hasManageAccess(deps, collection, id, info),
    passwordHash,
    newFiles: files?.newNames,
  });
  const row = await updateRow(ctx, collection, id, values);
  // A rotated tokenKey (new password or email) ends every session of the record.
  if (collection.type === 'auth' && values.tokenKey !== undefined) {
    await deps.q.run('DELETE FROM "_sessions" WHERE "collectionId" = ? AND "recordId" = ?', [collection.id, id]);
  }
  await ctx.sink.record(deps.q, collection, 'update', row, current);
  return row;
}
