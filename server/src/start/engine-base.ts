/**
 * What differs between a server on SQLite and one on PostgreSQL, opened before the services:
 * the engine and its system tables, the registry and collections service (bootstrapped), the
 * settings store, and the few pieces each engine provides its own way. `assemble` builds the
 * same services over either; sqlite-base.ts and postgres-base.ts open one.
 */
import type { SqlDb, SqlEngine, SqlRunner, ReadPool } from '../db/index.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import type { CollectionsService } from '../collections/index.ts';
import type { BackupServiceDeps, BackupService, SettingsStore } from '../admin/index.ts';
import type { SessionService, SharedBucketStore, SuperuserTarget } from '../auth/index.ts';
import type { Realtime, RealtimeOptionsInput } from '../realtime/index.ts';
import type { EventBus } from '../shared/events.ts';
import type { PeerLink } from '../shared/peers.ts';

/** What realtime is built from (the services made by `assemble`). */
export interface RealtimeInput {
  registry: CollectionRegistry;
  events: EventBus;
  sessions: SessionService;
  options: RealtimeOptionsInput;
  superuserAllowedFrom: (ip: string | undefined) => boolean;
}

/** What backups are built from (all but the database). */
export type BackupsInput = Omit<BackupServiceDeps, 'db'>;

export interface EngineBase {
  engine: SqlEngine;
  /** SQLite's synchronous interface on the engine's connections; null on PostgreSQL. */
  db: SqlDb | null;
  events: EventBus;
  registry: CollectionRegistry;
  collections: CollectionsService;
  settings: SettingsStore;
  /** Where superusers are counted and created (the installer). */
  superusers: SuperuserTarget;
  /** Counted at start on the engine (no install token then); SQLite's installer counts synchronously. */
  superusersExist?: boolean;
  /** Read workers for costly queries; null reads inline on the engine. */
  reads: ReadPool | null;
  /** `POST /api/sql`. */
  sql: SqlRunner;
  /**
   * Rate-limit buckets shared with the other processes on the database, one namespace per limiter
   * (`auth`, `rules`): PostgreSQL's `_rateLimits`, SQLite workers' rate-limits.db; undefined = this process's memory.
   */
  sharedBuckets?: (namespace: string) => SharedBucketStore;
  /** Set: uploads are refused with this 400 message until S3 is configured (a local disk is not shared). */
  uploadsNeedS3?: string;
  /** Session revocations by other processes must apply at once (several processes serve the database). */
  sharedRevocation: boolean;
  /** The link to the other processes serving the database (workers' IPC, or Postgres LISTEN/NOTIFY). */
  peers?: PeerLink;
  /** Re-reads the schema after another process changed it (a peer's note). */
  refreshSchema(): void;
  /** The realtime service on this engine. */
  openRealtime(input: RealtimeInput): Realtime;
  openBackups(input: BackupsInput): BackupService;
  /** Claims a scheduled backup's tick for this process; absent = no scheduled backups on this engine. */
  claimBackupTick?: (slotMs: number) => boolean;
  /** Closes what the base opened (read pool, SQL runner, engine, the node's listener and feed). */
  close(): Promise<void>;
}
