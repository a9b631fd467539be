/**
 * shared/dialect — the SQL dialect of each engine as pure data (see types.ts). Imports nothing;
 * the query compiler, DDL and db engines take a `Dialect` and stay engine-agnostic.
 */
export type { ColumnKind, Dialect, DialectValue, Fragment } from './types.ts';
export { sqliteDialect } from './sqlite.ts';
export { postgresDialect } from './postgres.ts';
export { numberPlaceholders } from './placeholders.ts';
export { compose } from './compose.ts';
