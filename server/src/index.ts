/**
 * @hearth/server — the programmatic API: createServer(options) (SQLite), openServer(options)
 * (SQLite or PostgreSQL), and openDataDir(dir) / openPostgresData(url) for tools
 * that work on a data dir or a PostgreSQL database directly (the CLI). Everything else is internal.
 */
export { createServer, openServer, openDataDir, openPostgresData, type HearthServer, type PostgresData, type ServerInput } from './main.ts';
export { loadConfig, DEFAULT_HTTP, type Config, type ConfigInput } from './config/config.ts';
export { upsertSuperuser, deleteSuperuser } from './auth/index.ts';
export { toWire } from './collections/index.ts';
export { buildOpenApi } from './openapi/index.ts';
export { createBackupService, type BackupService, type BackupObject } from './admin/index.ts';
export { createSettingsStore, openSettingsStore, defaultSettings } from './admin/index.ts';
export { exportSchema, schemaToJson, schemaToTs, parseSchemaDocument, planSchema, applySchema, type SchemaDocument, type PlanStep } from './admin/index.ts';
export { importRecordBatch, exportRecordPages, IMPORT_BATCH_ROWS, type ImportRow, type RowFailure } from './admin/index.ts';
export { hashPassword } from './auth/index.ts';
export { runMigrations, lockDataDir, DataDirLockedError } from './db/index.ts';
export { startCluster, runWorker, isClusterWorker, resolveWorkerCount, MAX_WORKERS, type ClusterHandle } from './cluster/index.ts';
export { WORKER_HEADER } from './main.ts';
export { copySqliteToPostgres, type CopyReport } from './copy/index.ts';
export { openPostgresEngine, migrate as migrateEngine, MIGRATION_NAMES } from './db/index.ts';
