/**
 * The extension point records/ offers for writes: a before hook called inside the write's
 * transaction (create/update/delete, also in batch). It may change `body` or throw to abort the
 * write. Implemented by hooks/ (records/ never imports it); after-commit hooks listen to the
 * RecordChanged events instead, so they need no call site here.
 */
import type { SqlDb } from '../db/index.ts';
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
  /** The database handle inside the write's transaction. */
  db: SqlDb;
}

export interface RecordWriteHooks {
  /** Synchronous: runs inside the transaction; a throw rolls the write back. */
  before(e: BeforeRecordWrite): void;
  /** Whether a before hook would run for this action on this collection; absent = assume it would. */
  handles?(action: BeforeRecordWrite['action'], collection: Collection): boolean;
}
