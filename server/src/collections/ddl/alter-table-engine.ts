/**
 * Applies field changes to a collection table through an async `SqlEngine` whose ALTER TABLE can
 * change a column in place (Postgres), inside the caller's transaction (Postgres DDL is
 * transactional, so a failure leaves the table as it was). Renames, drops and adds are plain
 * ALTER TABLE; a type or shape change adds the new column under a temporary name, carries every
 * value across with the same conversion as SQLite's rebuild (a value that cannot be converted is a
 * 400 naming the field), drops the old column and renames the new one into place.
 */
import { runSteps, steps, type SqlQueryable, type Steps } from '../../db/index.ts';
import type { Dialect } from '../../shared/dialect/index.ts';
import { quoteIdent } from '../../db/sql.ts';
import { AppError } from '../../shared/errors.ts';
import { setError, type ErrorTree } from '../error-tree.ts';
import type { Collection, Field } from '../model.ts';
import { planFields } from './alter-table.ts';
import { convertStored, needsConversion } from './convert-value.ts';
import { columnSql, renameTableSql } from './table-sql.ts';

/** Rows converted per batch: bounds memory on large tables. */
const CONVERT_BATCH = 500;

export function alterTableOn(db: SqlQueryable, before: Collection, after: Collection, failMessage: string): Promise<void> {
  return runSteps(alterTableInPlace(db.dialect, before, after, failMessage), db);
}

/** The same as steps, for a schema change written once for both engines. */
export function* alterTableInPlace(dialect: Dialect, before: Collection, after: Collection, failMessage: string): Steps<void> {
  if (!dialect.alterColumnType) throw new Error(`alterTableInPlace needs a dialect that alters columns in place, not ${dialect.name}`);
  const { plans, dropped } = planFields(before, after);
  for (const sql of renameTableSql(before.name, after.name, dialect)) yield* steps.exec(sql);
  const table = quoteIdent(after.name);
  for (const field of dropped) yield* steps.exec(`ALTER TABLE ${table} DROP COLUMN ${quoteIdent(field.name)}`);

  const moves: { from: string; to: string }[] = [];
  for (const [i, { field, source }] of plans.entries()) {
    if (!source) continue;
    if (!needsConversion(source, field)) {
      if (source.name !== field.name) moves.push({ from: source.name, to: field.name });
      continue;
    }
    const tmp = `_hearth_new_${i}`;
    yield* steps.exec(`ALTER TABLE ${table} ADD COLUMN ${columnSql({ ...field, name: tmp, primaryKey: false }, dialect)}`);
    yield* copyConverting(table, { source, field, tmp, index: after.fields.indexOf(field) }, failMessage);
    yield* steps.exec(`ALTER TABLE ${table} DROP COLUMN ${quoteIdent(source.name)}`);
    moves.push({ from: tmp, to: field.name });
  }
  yield* renameColumns(table, moves);
  for (const { field, source } of plans) if (!source) yield* steps.exec(`ALTER TABLE ${table} ADD COLUMN ${columnSql(field, dialect)}`);
}

/** Renames columns; when a target name is still taken (a swap), everything moves through temporary names first. */
function* renameColumns(table: string, moves: { from: string; to: string }[]): Steps<void> {
  const sources = new Set(moves.map((m) => m.from));
  const staged = moves.some((m) => sources.has(m.to))
    ? moves.map((m, i) => ({ from: `_hearth_mv_${i}`, to: m.to, first: m.from }))
    : moves.map((m) => ({ from: m.from, to: m.to, first: undefined }));
  for (const m of staged) {
    if (m.first !== undefined) yield* steps.exec(`ALTER TABLE ${table} RENAME COLUMN ${quoteIdent(m.first)} TO ${quoteIdent(m.from)}`);
  }
  for (const m of staged) yield* steps.exec(`ALTER TABLE ${table} RENAME COLUMN ${quoteIdent(m.from)} TO ${quoteIdent(m.to)}`);
}

function* copyConverting(
  table: string,
  column: { source: Field; field: Field; tmp: string; index: number },
  failMessage: string,
): Steps<void> {
  const { source, field, tmp, index } = column;
  const select = `SELECT "_rowid_" AS r, ${quoteIdent(source.name)} AS v FROM ${table} WHERE "_rowid_" > ? ORDER BY "_rowid_" LIMIT ${CONVERT_BATCH}`;
  const update = `UPDATE ${table} SET ${quoteIdent(tmp)} = ? WHERE "_rowid_" = ?`;
  let last = 0;
  for (;;) {
    const rows = yield* steps.all<{ r: number; v: unknown }>(select, [last]);
    if (rows.length === 0) return;
    for (const row of rows) {
      const result = convertStored(source, field, row.v);
      if ('error' in result) {
        const errors: ErrorTree = {};
        setError(errors, ['fields', index, source.type === field.type ? 'maxSelect' : 'type'], result.error);
        throw new AppError('validation', failMessage, errors);
      }
      yield* steps.run(update, [result.value, row.r]);
      last = Number(row.r);
    }
  }
}
