/**
 * A server's base on the SQLite file in its data dir, opened synchronously (`createServer`):
 * the engine and its synchronous `SqlDb`, migrations, the registry and the built-in
 * collections, settings, the read pool and SQL runner over the file, the SQLite realtime feed,
 * backups through the SQLite backup API. A worker of `--workers N` shares revocations through the
 * database, rate-limit buckets through a file of their own beside it (auth/rate-limit-file-store.ts),
 * and talks to the others over its cluster link.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/config.ts';
import { claimTick, openDatabase, openReadPool, openSqliteEngine, openSqlRunner, runMigrations } from '../db/index.ts';
import { EventBus } from '../shared/events.ts';
import { createLogger, type Logger } from '../shared/logger.ts';
import { createCollectionsService, createRegistry } from '../collections/index.ts';
import { validateRule } from '../rules/index.ts';
import { createFileBucketStore, prepareRateLimitFile, RATE_LIMIT_FILE } from '../auth/index.ts';
import { createBackupService, createSettingsStore, defaultSettings } from '../admin/index.ts';
import { createRealtime } from '../realtime/index.ts';
import type { EngineBase } from './engine-base.ts';
import { BACKUP_TICK_NAME, type ServerInput } from './server-types.ts';

/** Opens (or initialises) the data dir: db, migrations, registry, system collections. */
export function openDataDir(dir: string, logger: Logger = createLogger('warn'), durability: Config['durability'] = 'normal') {
  mkdirSync(dir, { recursive: true });
  const engine = openSqliteEngine(join(dir, 'data.db'), { synchronous: durability === 'full' ? 'FULL' : 'NORMAL' });
  const { db } = engine;
  runMigrations(db);
  const events = new EventBus();
  const registry = createRegistry({ engine, db });
  const collections = createCollectionsService({
    engine,
    db,
    registry,
    events,
    validateRule: (collection, rule, text, catalog) => validateRule(registry, collection, rule, text, catalog),
  });
  collections.bootstrapSystemCollectionsSync();
  return { engine, db, events, registry, collections, logger };
}

export function openSqliteBase(input: ServerInput, config: Config, logger: Logger): EngineBase {
  const { engine, db, events, registry, collections } = openDataDir(config.dir, logger, config.durability);
  const settings = createSettingsStore(db, defaultSettings(`http://${config.http}`));
  const reads = input.reads?.workers === 0 ? null : openReadPool(db.path, input.reads);
  const sql = openSqlRunner(db.path, input.sql);
  const link = input.cluster;
  const bucketsDb = link ? openDatabase(join(config.dir, RATE_LIMIT_FILE)) : null;
  if (bucketsDb) prepareRateLimitFile(bucketsDb);
  const calls = link?.call ? { self: link.workerId, call: (to: number, op: unknown) => link.call!(to, op) } : undefined;
  return {
    engine,
    db,
    events,
    registry,
    collections,
    settings,
    superusers: db,
    reads,
    sql,
    sharedBuckets: bucketsDb ? (namespace) => createFileBucketStore(bucketsDb, namespace) : undefined,
    sharedRevocation: link !== undefined,
    peers: link,
    refreshSchema: () => collections.refreshIfStale(),
    openRealtime(r) {
      const realtime = createRealtime({ db, engine, logger, calls, ...r });
      link?.onCall?.((op) => realtime.answerCall(op));
      return realtime;
    },
    openBackups: (b) => createBackupService({ db, ...b }),
    claimBackupTick: (slotMs) => claimTick(db, BACKUP_TICK_NAME, slotMs, `${process.pid}`),
    async close() {
      await reads?.close();
      sql.close();
      bucketsDb?.close();
      await engine.close();
    },
  };
}
