/** What a started server is and what starting one takes (the composition root's public types). */
import type { Config, ConfigInput } from '../config/config.ts';
import type { SqlDb, SqlEngine } from '../db/index.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import type { CollectionsService } from '../collections/index.ts';
import type { RecordsService } from '../records/index.ts';
import type { ScryptParams, SessionService } from '../auth/index.ts';
import type { EventBus } from '../shared/events.ts';
import type { Realtime, RealtimeOptionsInput } from '../realtime/index.ts';
import type { Hooks } from '../hooks/index.ts';
import type { BackupService } from '../admin/index.ts';
import type { FilesService } from '../files/index.ts';
import type { Logger } from '../shared/logger.ts';
import type { PeerLink } from '../shared/peers.ts';

/**
 * Node's default (16 KiB) would answer long filter URLs with a bare 431; at 64 KiB the request
 * reaches Hearth, whose own limits answer with a 400 naming the problem.
 */
export const MAX_HEADER_SIZE = 64 * 1024;
/** Scheduled backups claim their ticks in `_cronRuns` under this name (one backup per deployment). */
export const BACKUP_TICK_NAME = '@backups';
/** A worker of a cluster names itself in this response header (and in WebSocket upgrades). */
export const WORKER_HEADER = 'x-hearth-worker';

export interface HearthServer {
  config: Config;
  /** The database engine the services run on (SQLite or PostgreSQL). */
  engine: SqlEngine;
  /**
   * SQLite's synchronous interface on the same connections. A server on PostgreSQL has none:
   * reading it throws (use `engine`).
   */
  db: SqlDb;
  registry: CollectionRegistry;
  collections: CollectionsService;
  records: RecordsService;
  sessions: SessionService;
  events: EventBus;
  realtime: Realtime;
  hooks: Hooks;
  backups: BackupService;
  files: FilesService;
  logger: Logger;
  /** The one-time first-superuser token while none exists (`/_/#/install/TOKEN`), else null. */
  installToken(): string | null;
  fetch: (request: Request) => Response | Promise<Response>;
  /** Loads the hooks files (watching them in `--dev`), then starts listening; resolves with the bound address (port 0 picks a free one). */
  listen(): Promise<{ host: string; port: number; url: string }>;
  /** Stops accepting, lets in-flight requests finish, then closes the database (SQLite: WAL checkpointed). */
  close(): Promise<void>;
}

/**
 * Programmatic-only options (tests, embedding): realtime limits and retention (defaults in
 * realtime/options.ts), cluster membership, and the scrypt cost of new password hashes (default
 * OWASP's, see auth/password.ts; test fixtures that hash many passwords lower it).
 */
export type ServerInput = ConfigInput & {
  realtime?: RealtimeOptionsInput;
  /**
   * This server is one worker of a `hearth serve --workers N` deployment (cluster/): the primary
   * holds the dir lock; rate limits and session revocations are shared through the database;
   * commits are announced to the other workers over the link.
   */
  cluster?: PeerLink;
  /** The first-superuser install token (a cluster's primary makes one for all its workers). */
  installToken?: string;
  passwordParams?: ScryptParams;
  /** Read workers for costly client queries and their time budget (defaults in db/read-pool.ts); 0 workers reads inline. */
  reads?: { workers?: number; budgetMs?: number };
  /** The time budget of `POST /api/sql` scripts (default SQL_BUDGET_MS in db/sql-runner.ts). */
  sql?: { budgetMs?: number };
  /**
   * On PostgreSQL: store uploads in this node's data dir while S3 is not configured (one node
   * only — tests, embedding). Default false: such uploads are refused with a 400.
   */
  localFiles?: boolean;
  /** On PostgreSQL: this node's number (the `X-Hearth-Worker` of its peer link; default 1) and its pool size. */
  node?: { id?: number; poolSize?: number };
};
