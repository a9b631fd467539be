/**
 * db/ — the only importer of better-sqlite3. Owns opening the file with deliberate pragmas,
 * the drizzle schema of system tables, versioned migrations, a statement cache per SQL shape,
 * transactions, and the mapping of SQLite errors to AppError. Imports only shared/.
 */
export { openDatabase, type SqlDb, type SqlParam, type RunResult, type DbStats, type OpenOptions } from './database.ts';
export { lockDataDir, DataDirLockedError, LOCK_FILE } from './dir-lock.ts';
export { runMigrations } from './migrations.ts';
export { mapSqliteError, isUniqueViolation } from './sqlite-errors.ts';
export * as systemSchema from './system-schema.ts';
export { quoteIdent } from './sql.ts';
export { readSchemaVersion, bumpSchemaVersion, otherWriterProbe } from './schema-version.ts';
