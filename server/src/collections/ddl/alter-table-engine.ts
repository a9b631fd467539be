/**
 * Applies field changes to a collection table through an async `SqlEngine` whose ALTER TABLE can
 * change a column in place (Postgres), inside the caller's transaction (Postgres DDL is
 * transactional, so a failure leaves the table as it was). Renames, drops and adds are plain
 * ALTER TABLE; a type or shape change adds the new column under a temporary name, carries every
 * value across with the same conversion as SQLite's rebuild (a value that cannot be converted is a
 * 400 naming the field), drops the old column and renames the new one into place.
 */
import type { SqlQueryable } from '../../db/index.ts';
import { quoteIdent } from '../../db/sql.ts';
import { AppError } from '../../shared/errors.ts';
import { setError, type ErrorTree } from '../error-tree.ts';
import type { Collection, Field } from '../model.ts';
import { planFields } from './alter-table.ts';
import { convertStored, needsConversion } from './convert-value.ts';
import { columnSql, renameTableSql } from './table-sql.ts';

/** Rows converted per batch: bounds memory on large tables. */
const CONVERT_BATCH = 500;

export async function alterTableOn(db: SqlQueryable, before: Collection, after: Collection, failMessage: string): Promise<void> {
  if (!db.dialect.alterColumnType) throw new Error(`alterTableOn needs a dialect that alters columns in place, not ${db.dialect.name}`);
  const { plans, dropped } = planFields(before, after);
  for (const sql of renameTableSql(before.name, after.name, db.dialect)) await db.exec(sql);
  const table = quoteIdent(after.name);
  for (const field of dropped) await db.exec(`ALTER TABLE ${table} DROP COLUMN ${quoteIdent(field.name)}`);

  const moves: { from: string; to: string }[] = [];
  for (const [i, { field, source }] of plans.entries()) {
    if (!source) continue;
    if (!needsConversion(source, field)) {
      if (source.name !== field.name) moves.push({ from: source.name, to: field.name });
      continue;
    }
    const tmp = `_hearth_new_${i}`;
    await db.exec(`ALTER TABLE ${table} ADD COLUMN ${columnSql({ ...field, name: tmp, primaryKey: false }, db.dialect)}`);
    await copyConverting(db, table, { source, field, tmp, index: after.fields.indexOf(field) }, failMessage);
    await db.exec(`ALTER TABLE ${table} DROP COLUMN ${quoteIdent(source.name)}`);
    moves.push({ from: tmp, to: field.name });
  }
  await renameColumns(db, table, moves);
  for (const { field, source } of plans) if (!source) await db.exec(`ALTER TABLE ${table} ADD COLUMN ${columnSql(field, db.dialect)}`);
}

/** Renames columns; when a target name is still taken (a swap), everything moves through temporary names first. */
async function renameColumns(db: SqlQueryable, table: string, moves: { from: string; to: string }[]): Promise<void> {
  const sources = new Set(moves.map((m) => m.from));
  const staged = moves.some((m) => sources.has(m.to))
    ? moves.map((m, i) => ({ from: `_hearth_mv_${i}`, to: m.to, first: m.from }))
    : moves.map((m) => ({ from: m.from, to: m.to, first: undefined }));
  for (const m of staged) {
    if (m.first !== undefined) await db.exec(`ALTER TABLE ${table} RENAME COLUMN ${quoteIdent(m.first)} TO ${quoteIdent(m.from)}`);
  }
  for (const m of staged) await db.exec(`ALTER TABLE ${table} RENAME COLUMN ${quoteIdent(m.from)} TO ${quoteIdent(m.to)}`);
}

async function copyConverting(
  db: SqlQueryable,
  table: string,
  column: { source: Field; field: Field; tmp: string; index: number },
  failMessage: string,
): Promise<void> {
  const { source, field, tmp, index } = column;
  const select = `SELECT "_rowid_" AS r, ${quoteIdent(source.name)} AS v FROM ${table} WHERE "_rowid_" > ? ORDER BY "_rowid_" LIMIT ${CONVERT_BATCH}`;
  const update = `UPDATE ${table} SET ${quoteIdent(tmp)} = ? WHERE "_rowid_" = ?`;
  let last = 0;
  for (;;) {
    const rows = await db.all<{ r: number; v: unknown }>(select, [last]);
    if (rows.length === 0) return;
    for (const row of rows) {
      const result = convertStored(source, field, row.v);
      if ('error' in result) {
        const errors: ErrorTree = {};
        setError(errors, ['fields', index, source.type === field.type ? 'maxSelect' : 'type'], result.error);
        throw new AppError('validation', failMessage, errors);
      }
      await db.run(update, [result.value, row.r]);
      last = Number(row.r);
    }
  }
}
