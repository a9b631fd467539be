/** Column and table DDL for collection tables: one column per field, `id` the TEXT primary key. */
import { quoteIdent } from '../../db/sql.ts';
import { fieldTypeOf } from '../fields/index.ts';
import type { Field } from '../model.ts';

export const columnSql = (field: Field): string => `${quoteIdent(field.name)} ${fieldTypeOf(field).columnDefinition(field)}`;

/** A rowid table on purpose (no WITHOUT ROWID): `@rowid` sorting and stable insertion order rely on it. */
export const createTableSql = (name: string, fields: Field[]): string =>
  `CREATE TABLE ${quoteIdent(name)} (${fields.map(columnSql).join(', ')})`;

/** Renames a table; a case-only rename goes through a temporary name (SQLite refuses it directly). */
export function renameTableSql(from: string, to: string): string[] {
  if (from === to) return [];
  if (from.toLowerCase() !== to.toLowerCase()) return [`ALTER TABLE ${quoteIdent(from)} RENAME TO ${quoteIdent(to)}`];
  const tmp = `_hearth_rename_${to}`;
  return [`ALTER TABLE ${quoteIdent(from)} RENAME TO ${quoteIdent(tmp)}`, `ALTER TABLE ${quoteIdent(tmp)} RENAME TO ${quoteIdent(to)}`];
}
