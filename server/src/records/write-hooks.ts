/**
 * The extension point records/ offers for writes: a before hook called inside the write's
 * transaction (create/update/delete, also in batch). It may change `body` or throw to abort the
 * write; it may return a promise, which the write awaits inside its transaction. Implemented by hooks/ (records/ never imports it); after-commit hooks listen to the
 * RecordChanged events instead, so they need no call site here.
 */
import type { SqlDb, SqlQueryable } from '../db/index.ts';
import type { Collection } from '../collections/model.ts';
import type { RequestInfo } from '../rules/index.ts';
import type { Row } from './serialize.ts';

export interface BeforeRecordWrite {
  action: 'create' | 'update' | 'delete';
  collection: Collection;
  /** The fields being written (mutable; `{}` for delete). */
  body: Record<string, unknown>;
  /** The stored row before the change (null for create). */
  current: Row | null;
  info: RequestInfo;
  /** The write's transaction on the engine. */
  q: SqlQueryable;
  /** SQLite: the synchronous interface, inside the write's transaction (absent on PostgreSQL). */
  db?: SqlDb;
}

export interface RecordWriteHooks {
  /** Runs inside the transaction; a throw (or a rejected promise) rolls the write back. Returns a promise only when a hook did. */
  before(e: BeforeRecordWrite): void | Promise<void>;
  /** Whether a before hook would run for this action on this collection; absent = assume it would. */
  handles?(action: BeforeRecordWrite['action'], collection: Collection): boolean;
}
