/**
 * POST /records: validate, insert, then check the createRule against the inserted row inside the
 * same transaction (so `@request.body.*` and relation paths see the final values); a failing
 * rule rolls everything back.
 */
import { quoteIdent } from '../db/sql.ts';
import { badRequest } from '../shared/errors.ts';
import { authorize } from '../rules/index.ts';
import type { Collection } from '../collections/model.ts';
import { prepareValues } from './prepare-values.ts';
import { superusersOnly } from './list-records.ts';
import type { Row } from './serialize.ts';
import type { WriteContext } from './write-context.ts';
import { assertWritable } from './write-context.ts';

/** Column lists repeat per collection shape, so the SQL text (and prepared statement) repeats too. */
export function insertRow(ctx: WriteContext, collection: Collection, values: Record<string, unknown>): Row {
  const cols = Object.keys(values);
  const sql = `INSERT INTO ${quoteIdent(collection.name)} (${cols.map(quoteIdent).join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) RETURNING *`;
  return ctx.deps.db.get<Row>(sql, cols.map((c) => values[c]))!;
}

/** Runs inside a transaction. Returns the stored row. */
export function createInTx(
  ctx: WriteContext,
  collection: Collection,
  body: Record<string, unknown>,
  passwordHash: string | undefined,
): Row {
  const { deps, info } = ctx;
  assertWritable(collection);
  const access = authorize({ registry: deps.registry, collection, rule: 'createRule', info });
  if (access.kind === 'superusers_only') throw superusersOnly();
  deps.hooks?.before({ action: 'create', collection, body, current: null, info, db: deps.db });
  const values = prepareValues({
    db: deps.db,
    registry: deps.registry,
    collection,
    body,
    current: null,
    privileged: info.auth?.isSuperuser === true,
    passwordHash,
  });
  const row = insertRow(ctx, collection, values);
  if (access.kind === 'where') {
    const ok = deps.db.get(`SELECT 1 AS ok FROM ${quoteIdent(collection.name)} t WHERE t."id" = ? AND (${access.where.sql})`, [
      row.id,
      ...access.where.params,
    ]);
    if (!ok) throw badRequest('Failed to create record.');
  }
  ctx.sink.record(deps.db, collection, 'create', row);
  return row;
}
