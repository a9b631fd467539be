/**
 * Composition root: config → db → services → http app → listen. `createServer()` (SQLite,
 * synchronous) and `openServer()` (either engine, async) are the programmatic API the CLI and
 * tests use; nothing else wires services together. The engine-specific part of a start is its
 * base (start/sqlite-base.ts, start/postgres-base.ts); start/assemble.ts builds the services.
 */
import { assertServableDb, loadConfig, type Config } from './config/config.ts';
import { lockDataDir } from './db/index.ts';
import { createLogger, type Logger } from './shared/logger.ts';
import { assemble } from './start/assemble.ts';
import { openSqliteBase } from './start/sqlite-base.ts';
import { openPostgresBase } from './start/postgres-base.ts';
import type { HearthServer, ServerInput } from './start/server-types.ts';

export { openDataDir } from './start/sqlite-base.ts';
export { openPostgresData, type PostgresData } from './start/postgres-data.ts';
export { MAX_HEADER_SIZE, BACKUP_TICK_NAME, WORKER_HEADER, type HearthServer, type ServerInput } from './start/server-types.ts';

const serverLogger = (config: Config): Logger => createLogger(config.logLevel, (line) => process.stdout.write(line + '\n'));

/** A server on the SQLite file of its data dir (`--db` must be empty: use `openServer` for PostgreSQL). */
export function createServer(input: ServerInput = {}): HearthServer {
  const config = loadConfig(input);
  assertServableDb(config);
  // One server per data dir; released by close() or, after a crash, by the kernel.
  // A cluster's workers serve the dir whose lock their primary holds.
  const unlock = input.cluster ? () => {} : lockDataDir(config.dir);
  try {
    const logger = serverLogger(config);
    return assemble(input, config, openSqliteBase(input, config, logger), logger, unlock);
  } catch (err) {
    unlock();
    throw err;
  }
}

/**
 * A server on either engine: on SQLite exactly what `createServer` gives; with `db` (or
 * HEARTH_DB) a `postgres://` URL, one node of a deployment on that database — several nodes may
 * serve it at once (docs/scaling.md). The data dir holds only this node's own files there (the
 * request log, hooks, local file storage).
 */
export async function openServer(input: ServerInput = {}): Promise<HearthServer> {
  const config = loadConfig(input);
  if (config.db === '') return createServer(input);
  if (input.cluster) throw new Error('A server on PostgreSQL is a node of its own: run more nodes instead of --workers workers.');
  const logger = serverLogger(config);
  const base = await openPostgresBase(input, config, logger);
  try {
    return assemble(input, config, base, logger, () => {});
  } catch (err) {
    await base.close();
    throw err;
  }
}
