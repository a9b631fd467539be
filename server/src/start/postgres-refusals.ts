/**
 * What a server on PostgreSQL answers with a clear 400 instead of serving, until it is built
 * there: backups (the SQLite backup API copies one file; a Postgres database is backed up with
 * `pg_dump` or the provider's snapshots), `POST /api/sql` (its runner reads the SQLite file in a
 * worker; use `psql`) and — until the realtime fan-out runs on the engine — realtime
 * connections. Each is what `openServer` plugs in on Postgres; docs/scaling.md lists them.
 */
import { badRequest } from '../shared/errors.ts';
import type { BackupService } from '../admin/index.ts';
import type { SqlEngine, SqlRunner } from '../db/index.ts';
import type { Hub } from '../realtime/hub.ts';
import { startRetention } from '../realtime/retention.ts';
import type { Logger } from '../shared/logger.ts';
import { pruneChanges, resolveRealtimeOptions, type ChangeFeed, type Realtime, type RealtimeOptionsInput } from '../realtime/index.ts';

export const BACKUPS_ON_POSTGRES =
  'Backups of a PostgreSQL database are made with pg_dump (or your provider\'s snapshots), not by Hearth: see docs/scaling.md.';
export const SQL_ON_POSTGRES = 'The SQL console runs on SQLite only; on PostgreSQL use psql (or your provider\'s console).';
export const REALTIME_ON_POSTGRES = 'Realtime is not available on PostgreSQL in this version: see docs/scaling.md.';

export function backupsRefused(): BackupService {
  const refuse = (): Promise<never> => Promise.reject(badRequest(BACKUPS_ON_POSTGRES));
  return {
    createBackup: refuse,
    listBackups: refuse,
    restoreBackup: refuse,
    deleteBackup: refuse,
    uploadBackup: refuse,
    openBackup: refuse,
    stagingPath: () => {
      throw badRequest(BACKUPS_ON_POSTGRES);
    },
    active: null,
    close: () => {},
  };
}

export function sqlRefused(): SqlRunner {
  return { run: () => Promise.reject(badRequest(SQL_ON_POSTGRES)), budgetMs: 0, close: () => {} };
}

/**
 * Realtime that opens no connection (a 400 over SSE; a WebSocket closed with the reason) but
 * keeps the log's retention and the node's change feed running, so the log stays bounded.
 */
export function realtimeRefused(engine: SqlEngine, feed: ChangeFeed, input: RealtimeOptionsInput | undefined, logger: Logger): Realtime {
  const options = resolveRealtimeOptions(input);
  const stopRetention = startRetention(engine, options.retention, logger);
  const refuse = (): never => {
    throw badRequest(REALTIME_ON_POSTGRES);
  };
  return {
    options,
    get hub(): Hub {
      return refuse();
    },
    feed,
    openWs: refuse,
    openSse: refuse,
    setSseTopics: refuse,
    verify: () => null,
    deliverOnce: refuse,
    setSseTopicsAnywhere: () => Promise.reject(badRequest(REALTIME_ON_POSTGRES)),
    deliverOnceAnywhere: () => Promise.reject(badRequest(REALTIME_ON_POSTGRES)),
    answerCall: refuse,
    prune: (window) => pruneChanges(engine, { ...options.retention, ...window }),
    stats: () => ({ connections: 0, subscriptions: 0, closedSlow: 0, queuedMessages: 0, throughSeq: feed.latestSeq(), matching: { byValue: 0, scan: 0, sql: 0, byRecord: 0 } }),
    close: stopRetention,
  };
}
