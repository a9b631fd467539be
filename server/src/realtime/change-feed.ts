/**
 * The change feed: the ordered stream of committed record changes that the hub fans out. This is
 * the seam a multi-node deployment replaces (e.g. with a feed that tails a shared log or a broker);
 * the hub depends only on this interface.
 */
import type { RecordAction } from '../shared/events.ts';

export type Row = Record<string, unknown>;

export interface ChangeEntry {
  seq: number;
  collectionId: string;
  recordId: string;
  action: RecordAction;
  /** Commit time, PocketBase date format. */
  created: string;
  /** The row after a create/update; the removed row for a delete. Null for entries without a snapshot. */
  record: Row | null;
  /** The row before an update, when known (else the update is judged by its new state only). */
  previous: Row | null;
}

export interface ReadResult {
  /** Entries with seq > the requested one, ascending, at most `limit`. */
  changes: ChangeEntry[];
  /** True when entries after the requested seq are no longer retained (or the seq is from the future). */
  gap: boolean;
}

/**
 * `through` is the seq up to which the feed has now notified listeners; `gap` says entries before
 * `changes` were lost to retention (listeners must tell their clients to resync).
 */
export type ChangeListener = (changes: ChangeEntry[], info: { through: number; gap: boolean }) => void;

export interface ChangeFeed {
  /** Highest seq ever assigned (0 for an empty log); a feed that reads over the network gives the seq it has delivered through. */
  latestSeq(): number;
  /** Synchronous on SQLite; a promise where the log is read over the network (Postgres). */
  readSince(seq: number, limit: number): ReadResult | Promise<ReadResult>;
  /** Listeners get every change once, in seq order, in batches, after commit. Returns an unsubscribe. */
  subscribe(listener: ChangeListener): () => void;
  /** Another process committed changes: read the log now rather than at the next safety-net check. */
  wake?(): void;
  close(): void;
}
