/**
 * What the database itself holds, per engine: tables, views and indexes by name (SQLite's
 * `sqlite_master`, Postgres's catalog in the current schema), and a table's column names. Names
 * compare case-insensitively on both, as collection names do. Steps (db/steps.ts), so the same
 * checks run on the engine and on SQLite's synchronous `SqlDb`.
 */
import { steps, type Steps } from '../../db/index.ts';
import type { Dialect } from '../../shared/dialect/index.ts';

export interface DbIndex {
  name: string;
  table: string;
}

/** Postgres: indexes in the current schema that no constraint owns (a primary key or UNIQUE column has its own). */
const PG_INDEXES = `SELECT i.relname AS name, t.relname AS "table" FROM pg_index x
  JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
  WHERE t.relnamespace = current_schema()::regnamespace
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`;

/** Every index a user or Hearth made (SQLite's automatic ones and Postgres's constraint indexes excluded). */
export function* listIndexes(dialect: Dialect): Steps<DbIndex[]> {
  if (dialect.name === 'postgres') return yield* steps.all<DbIndex>(PG_INDEXES);
  return yield* steps.all<DbIndex>("SELECT name, tbl_name AS \"table\" FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL");
}

export function* indexesOf(dialect: Dialect, table: string): Steps<string[]> {
  const lower = table.toLowerCase();
  return (yield* listIndexes(dialect)).filter((i) => i.table.toLowerCase() === lower).map((i) => i.name);
}

/** The table or view an index of this name belongs to, if one exists. */
export function* indexOwner(dialect: Dialect, name: string): Steps<string | undefined> {
  if (dialect.name === 'postgres') {
    const row = yield* steps.get<{ table: string }>(`${PG_INDEXES} AND lower(i.relname) = lower(?)`, [name]);
    if (row) return row.table;
    // A constraint's index still takes the name.
    const taken = yield* steps.get<{ table: string }>(
      `SELECT t.relname AS "table" FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
       WHERE i.relnamespace = current_schema()::regnamespace AND lower(i.relname) = lower(?)`,
      [name],
    );
    return taken?.table;
  }
  return (yield* steps.get<{ tbl_name: string }>("SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND lower(name) = lower(?)", [name]))?.tbl_name;
}

/** True when a table, view or index of this name exists. */
export function* objectExists(dialect: Dialect, name: string): Steps<boolean> {
  const sql = dialect.name === 'postgres'
    ? 'SELECT 1 AS ok FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND lower(relname) = lower(?)'
    : 'SELECT 1 AS ok FROM sqlite_master WHERE lower(name) = lower(?)';
  return (yield* steps.get(sql, [name])) !== undefined;
}

/** True when a table (not a view) of exactly this name exists. */
export function* tableExists(dialect: Dialect, name: string): Steps<boolean> {
  const sql = dialect.name === 'postgres'
    ? "SELECT 1 AS ok FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' AND relname = ?"
    : "SELECT 1 AS ok FROM sqlite_master WHERE type = 'table' AND name = ?";
  return (yield* steps.get(sql, [name])) !== undefined;
}

/** A table's or view's columns with their declared types (upper-case on SQLite, as declared). */
export function* tableColumns(dialect: Dialect, table: string): Steps<{ name: string; type: string }[]> {
  if (dialect.name === 'postgres') {
    return yield* steps.all<{ name: string; type: string }>(
      'SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position',
      [table],
    );
  }
  return yield* steps.all<{ name: string; type: string }>('SELECT name, type FROM pragma_table_info(?)', [table]);
}

/** What a collection's validation checks names against, read once before it runs. */
export interface DbObjects {
  /** Lower-cased names of every table, view and index (and, on Postgres, sequence). */
  names: Set<string>;
  indexes: DbIndex[];
}

export function* readDbObjects(dialect: Dialect): Steps<DbObjects> {
  const sql = dialect.name === 'postgres'
    ? 'SELECT lower(relname) AS name FROM pg_class WHERE relnamespace = current_schema()::regnamespace'
    : 'SELECT lower(name) AS name FROM sqlite_master';
  const names = new Set((yield* steps.all<{ name: string }>(sql)).map((r) => r.name));
  return { names, indexes: yield* listIndexes(dialect) };
}
