/** What the records domain needs from the rest of the server, passed explicitly. */
import type { ReadPool, SqlDb, SqlEngine, SqliteEngine, SqlQueryable } from '../db/index.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import type { EventBus } from '../shared/events.ts';
import type { RecordWriteHooks } from './write-hooks.ts';
import type { RecordFileStore } from '../shared/uploads.ts';

export interface RecordsDeps {
  engine: SqlEngine;
  /** Where statements go: the engine, or inside a write the write's transaction. */
  q: SqlQueryable;
  /** The synchronous interface on the same connections, handed to before-write hooks (which run synchronously inside the write); SQLite only. */
  db?: SqlDb;
  registry: CollectionRegistry;
  /** Read workers for costly client queries; absent = every read runs inline. */
  reads?: ReadPool | null;
  events: EventBus;
  /** Hashes a plaintext password for auth collections (auth/ provides it). */
  hashPassword: (plain: string) => Promise<string>;
  /** Checks `oldPassword` on password changes by non-managers; without it such changes are refused. */
  verifyPassword?: (plain: string, hash: unknown) => Promise<boolean>;
  /** Before-write hooks (hooks/ provides them); absent = none. */
  hooks?: RecordWriteHooks;
  /** Blob storage for file fields (files/ provides it); without it uploads are refused. */
  files?: RecordFileStore;
  /** Reports failures after commit that cannot fail the request (e.g. deleting an orphaned blob). */
  onBackgroundError?: (message: string, err: unknown) => void;
}

/**
 * Where a read outside any write can run in the caller's own turn (SQLite's read connection, which
 * the engine's reads use anyway), so a read request need not wait for a promise; null inside a
 * write (reads go through its transaction) and on engines whose reads must wait.
 */
export function readNowOf(deps: RecordsDeps): SqlDb | null {
  if (deps.q !== deps.engine || deps.engine.kind !== 'sqlite') return null;
  return (deps.engine as Partial<SqliteEngine>).readNow ?? null;
}
