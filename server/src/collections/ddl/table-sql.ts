/**
 * Column and table DDL for collection tables: one column per field, `id` the TEXT primary key.
 * Without a dialect the SQLite text comes from each field type's `columnDefinition`; with one,
 * from the dialect's type mapping (table-sql.test.ts checks the two agree for SQLite).
 */
import { quoteIdent } from '../../db/sql.ts';
import type { Dialect } from '../../shared/dialect/index.ts';
import { fieldTypeOf } from '../fields/index.ts';
import type { Field } from '../model.ts';
import { columnKindOf } from './column-kind.ts';

/** Postgres has no rowid: its tables carry one, under SQLite's alias, so `@rowid` and insertion order hold. */
export const POSTGRES_ROWID_COLUMN = '"_rowid_" BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE';

export const columnSql = (field: Field, dialect?: Dialect): string =>
  `${quoteIdent(field.name)} ${dialect ? dialect.columnType(columnKindOf(field)) : fieldTypeOf(field).columnDefinition(field)}`;

/** A rowid table on purpose (no WITHOUT ROWID): `@rowid` sorting and stable insertion order rely on it. */
export function createTableSql(name: string, fields: Field[], dialect?: Dialect): string {
  const columns = fields.map((f) => columnSql(f, dialect));
  if (dialect && dialect.name === 'postgres') columns.push(POSTGRES_ROWID_COLUMN);
  return `CREATE TABLE ${quoteIdent(name)} (${columns.join(', ')})`;
}

/** Renames a table; a case-only rename goes through a temporary name where names are case-insensitive (SQLite). */
export function renameTableSql(from: string, to: string, dialect?: Dialect): string[] {
  if (from === to) return [];
  const caseOnly = from.toLowerCase() === to.toLowerCase();
  if (!caseOnly || (dialect && !dialect.caseInsensitiveNames)) return [`ALTER TABLE ${quoteIdent(from)} RENAME TO ${quoteIdent(to)}`];
  const tmp = `_hearth_rename_${to}`;
  return [`ALTER TABLE ${quoteIdent(from)} RENAME TO ${quoteIdent(tmp)}`, `ALTER TABLE ${quoteIdent(tmp)} RENAME TO ${quoteIdent(to)}`];
}
