/**
 * In-memory registry of collections, loaded from `_collections` and reloaded after every schema
 * change. Hot paths read from here, never from the table. `version` increments on each reload so
 * callers can key caches (compiled rules, statement SQL) by it.
 */
import type { Collection } from './model.ts';
import type { Dialect } from '../shared/dialect/index.ts';

export interface CollectionRegistry {
  /** By id, or by name (case-insensitive). */
  find(nameOrId: string): Collection | undefined;
  /** Like find, but throws a 404 AppError when missing. */
  get(nameOrId: string): Collection;
  all(): Collection[];
  readonly version: number;
  /** The SQL dialect of the database the collections live in (rules compile to it); absent = SQLite's. */
  readonly dialect?: Dialect;
  /** Re-reads every collection (after a schema change committed). */
  reload(): Promise<void>;
  /** The same, synchronously: only a registry over SQLite's synchronous `SqlDb` has it. */
  reloadSync?(): void;
  /** Takes rows read by the caller (inside the transaction that changed them, applied after its commit). */
  load?(schemaVersion: number, collections: Collection[]): void;
  /**
   * Reloads when the shared schema version moved since the last load; true when it did.
   * Absent on overlays that are not backed by the database (rule validation, test fixtures).
   */
  refresh?(): Promise<boolean>;
  /**
   * The per-request check: synchronous and cheap (SQLite: reloads when another process changed
   * a collection since the last load; true when it did). Always false where other writers are
   * heard through notes instead (Postgres).
   */
  refreshIfStale?(): boolean;
}
