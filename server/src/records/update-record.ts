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

export function updateRow(ctx: WriteContext, collection: Collection, id: string, values: Record<string, unknown>): Row {
  const table = quoteIdent(collection.name);
  const cols = Object.keys(values).filter((c) => c !== 'id');
  if (cols.length === 0) return ctx.deps.db.get<Row>(`SELECT * FROM ${table} WHERE "id" = ?`, [id])!;
  const sets = cols.map((c) => `${quoteIdent(c)} = ?`).join(', ');
  return ctx.deps.db.get<Row>(`UPDATE ${table} SET ${sets} WHERE "id" = ? RETURNING *`, [...cols.map((c) => values[c]), id])!;
}

export function updateInTx(
  ctx: WriteContext,
  collection: Collection,
  id: string,
  sent: Record<string, unknown>,
  passwordHash: string | undefined,
  files?: PreparedFiles,
): Row {
  const { deps } = ctx;
  assertWritable(collection);
  const superuser = ctx.info.auth?.isSuperuser === true;
  if (!superuser && collection.updateRule === null) throw superusersOnly();
  // The stored row first (modifiers fold into its values), then the rule sees the folded body.
  const stored = deps.db.get<Row>(`SELECT * FROM ${quoteIdent(collection.name)} WHERE "id" = ?`, [id]);
  if (!stored) throw notFound();
  const body = resolveRequestBody(collection, sent, stored, superuser);
  const info = withRequestBody(ctx.info, body);
  const current = loadRowUnderRule(deps, collection, id, 'updateRule', info);
  deps.hooks?.before({ action: 'update', collection, body, current, info, db: deps.db });
  const values = prepareValues({
    db: deps.db,
    registry: deps.registry,
    collection,
    body,
    current,
    privileged: hasManageAccess(deps, collection, id, info),
    passwordHash,
    newFiles: files?.newNames,
  });
  const row = updateRow(ctx, collection, id, values);
  // A rotated tokenKey (new password or email) ends every session of the record.
  if (collection.type === 'auth' && values.tokenKey !== undefined) {
    deps.db.run('DELETE FROM "_sessions" WHERE "collectionId" = ? AND "recordId" = ?', [collection.id, id]);
  }
  ctx.sink.record(deps.db, collection, 'update', row, current);
  return row;
}
