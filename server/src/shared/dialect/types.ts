/**
 * The SQL dialect: everything that differs between the engines, as data and small pure string
 * builders, so the SQL producers (query compiler, rule resolver, DDL, record statements) take the
 * engine's dialect as an argument and never learn which engine runs. Fragments here have the same
 * shape as the query compiler's `SqlFragment` (text with `?` params in textual order).
 */

export type DialectValue = string | number | boolean | null;

/** SQL text with positional `?` parameters, in order of appearance. */
export interface Fragment {
  sql: string;
  params: DialectValue[];
}

/** How a field is stored: the column classes the field types map to. */
export type ColumnKind = 'text' | 'textPrimaryKey' | 'number' | 'bool' | 'json' | 'jsonList';

export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /** Quotes an identifier already validated against the schema (the second fence). */
  quoteIdent(name: string): string;
  /**
   * Producers always write `?`; the engine turns them into its own form just before sending
   * (`$1, $2…` on Postgres). `?` inside string literals, quoted identifiers and comments stays.
   */
  nativePlaceholders(sql: string): string;

  // ---- the filter language ----
  /** Null-safe equality: `a IS b` / `a IS NOT DISTINCT FROM b` (negated when `equal` is false). */
  same(left: Fragment, right: Fragment, equal: boolean): Fragment;
  /** `(x IS NULL OR x = '')`, or its negation `(x IS NOT NULL AND x != '')`. */
  empty(x: Fragment, isEmpty: boolean): Fragment;
  /** Case-insensitive LIKE with `\` as the escape character. */
  like(x: Fragment, pattern: Fragment, positive: boolean): Fragment;
  /** The pattern "contains x" for a column or expression x: `('%' || x || '%')`. */
  contains(x: Fragment): Fragment;
  /** A set (one column `v`) over a bound JSON array text. */
  jsonArrayParamSet(json: Fragment): Fragment;
  /** A FROM item over the items of a JSON array expression; each item's text is `<alias>.value`. */
  jsonEach(expr: string, alias: string): string;
  /** A one-column (`value`) SELECT of the items of a bound JSON array text (`?`), for `x IN (…)`. */
  readonly jsonParamItems: string;
  /** Items of a JSON array expression (0 for NULL or a non-array). */
  jsonArrayLength(expr: string): string;
  /** A value inside a JSON document by keys/indexes (segments already validated: [A-Za-z0-9_]+). */
  jsonExtract(expr: string, path: readonly string[]): string;
  /**
   * Text equality ignoring case: `l = r COLLATE NOCASE` (ASCII letters) on SQLite, `lower(l) =
   * lower(r)` (all of Unicode) on Postgres. Identity look-ups (email, NOCASE-indexed usernames).
   */
  equalsNoCase(left: string, right: string): string;
  /** A LIMIT clause that limits nothing, for `… OFFSET ?` alone: `LIMIT -1` / `LIMIT ALL`. */
  readonly noLimit: string;
  /** ORDER BY item for `@random`. */
  readonly random: string;

  // ---- statements ----
  /** `INSERT … ON CONFLICT (keys) DO UPDATE SET c = excluded.c` (the same text on both engines). */
  upsert(table: string, columns: readonly string[], keys: readonly string[]): string;
  /** `INSERT … ON CONFLICT DO NOTHING` (SQLite's `INSERT OR IGNORE` has the same effect). */
  insertIgnore(table: string, columns: readonly string[]): string;
  /** ` RETURNING a, b` (SQLite ≥ 3.35 and Postgres share it). */
  returning(columns: readonly string[]): string;

  // ---- schema ----
  /** Column type, default and nullability of each storage class. */
  columnType(kind: ColumnKind): string;
  /** True when ALTER TABLE can change a column's type in place (Postgres); SQLite rebuilds the table. */
  readonly alterColumnType: boolean;
  /** Whether a case-only rename (`posts` → `Posts`) needs a temporary name (SQLite: names are case-insensitive). */
  readonly caseInsensitiveNames: boolean;
}
