/**
 * db/ — the only importer of better-sqlite3 and pg. The async `SqlEngine` (engine.ts) has a SQLite
 * and a Postgres implementation; the synchronous `SqlDb` is what services use today.
 * Also owns opening the file with deliberate pragmas,
 * the drizzle schema of system tables, versioned migrations, a statement cache per SQL shape,
 * transactions, and the mapping of SQLite errors to AppError. Imports only shared/.
 */
export { openDatabase, type SqlDb, type SqlParam, type RunResult, type DbStats, type OpenOptions } from './database.ts';
export { lockDataDir, DataDirLockedError, LOCK_FILE } from './dir-lock.ts';
export { runMigrations } from './migrations.ts';
export { mapSqliteError, isUniqueViolation } from './sqlite-errors.ts';
export * as systemSchema from './system-schema.ts';
export { quoteIdent } from './sql.ts';
export type { SqlEngine, SqlTx, SqlQueryable, EngineRunResult, Row } from './engine.ts';
export { TransactionEndedError } from './engine.ts';
export { openSqliteEngine, type SqliteEngine } from './sqlite-engine.ts';
export { openPostgresEngine, WRITER_LOCK_KEY, DEFAULT_POOL_SIZE, type PostgresEngineOptions } from './postgres-engine.ts';
export { mapPostgresError, isPostgresUniqueViolation } from './postgres-errors.ts';
export { sqliteDialect, postgresDialect, type Dialect } from '../shared/dialect/index.ts';
export { readSchemaVersion, bumpSchemaVersion, otherWriterProbe, turnDataVersion, turnWriterProbe } from './schema-version.ts';
export { claimTick, TICK_CLAIM_RETENTION_MS } from './tick-claims.ts';
export { openReadPool, BUDGET_CHECK, QUERY_BUDGET_MS, READ_WORKERS, READ_QUEUE_LIMIT, type ReadPool } from './read-pool.ts';
export { migrate } from './engine-migrations.ts';
export { MIGRATION_NAMES, CHANGES_CHANNEL, NOTES_CHANNEL } from './migration-steps.ts';
export * as postgresSystemSchema from './system-schema-postgres.ts';
export { readSchemaVersionOn, bumpSchemaVersionOn, claimTickOn, readSchemaVersionSteps, bumpSchemaVersionSteps } from './engine-shared-state.ts';
export { listenPostgres, LISTEN_RETRY_MS, type PostgresListener, type ListenOptions } from './postgres-listen.ts';
export { openSqlRunner, SQL_BUDGET_MS, SQL_MAX_ROWS, type SqlRunner } from './sql-runner.ts';
export type { SqlScriptResult, SqlColumn } from './sql-script.ts';
export { isEngine, runSteps, runStepsOn, runStepsSync, transactionOn, type Step, type Steps, type StepsTarget } from './steps.ts';
export * as steps from './steps.ts';
