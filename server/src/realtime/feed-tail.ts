/**
 * The tail loop both change feeds share: from the last seq it delivered, read the log in batches
 * and hand each batch to the listeners, in seq order, exactly once. Wake-ups (a local commit,
 * another process's note, a NOTIFY, a poll) only schedule a read; wake-ups that arrive while a
 * read is running make it read again, so none is lost and reads never overlap. A read may be
 * synchronous (SQLite: the whole drain runs in one turn) or a promise (Postgres). A gap — entries
 * after the cursor pruned away — moves the cursor to the latest seq and tells listeners to resync.
 *
 * With no listener there is nobody to deliver to, so the log's rows are not read: where the
 * latest seq can be read synchronously (`latest`, SQLite) a wake-up does nothing and the first
 * listener starts from latest(); otherwise (Postgres) a drain reads only the latest seq (a read
 * with limit 0) and moves the cursor there, so the cursor — that feed's latestSeq() — stays
 * current. A subscription that comes later with `since` replays through the feed's readSince.
 */
import type { Logger } from '../shared/logger.ts';
import type { ChangeEntry, ChangeListener, ReadResult } from './change-feed.ts';

/** A read of the log after `seq`, with the highest seq assigned (where a gap moves the cursor). */
export interface TailRead extends ReadResult {
  latest: number;
}

export interface FeedTailDeps {
  /** The seq delivered through at start (the latest one: listeners get what commits later). */
  start: number;
  read(seq: number, limit: number): TailRead | Promise<TailRead>;
  /** The highest seq assigned, read synchronously: given, the tail reads nothing while no one listens. */
  latest?: () => number;
  /** Entries per read; the loop yields a turn between full batches. */
  batch: number;
  logger: Logger;
}

export interface FeedTail {
  /** The seq delivered through. */
  cursor(): number;
  wake(): void;
  subscribe(listener: ChangeListener): () => void;
  close(): void;
}

const isPromise = <T>(v: T | Promise<T>): v is Promise<T> => typeof (v as { then?: unknown } | null)?.then === 'function';
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function createFeedTail(deps: FeedTailDeps): FeedTail {
  const { logger, batch } = deps;
  const listeners = new Set<ChangeListener>();
  let cursor = deps.start;
  let scheduled = false;
  let running = false;
  let again = false;
  let closed = false;

  function notify(changes: ChangeEntry[], gap: boolean): void {
    for (const l of listeners) {
      try {
        l(changes, { through: cursor, gap });
      } catch (err) {
        logger.error('realtime: change listener failed', err);
      }
    }
  }

  async function drain(): Promise<void> {
    running = true;
    try {
      do {
        again = false;
        for (;;) {
          const idle = listeners.size === 0;
          if (idle && deps.latest) break; // the first listener starts from latest()
          const pending = deps.read(cursor, idle ? 0 : batch);
          const res = isPromise(pending) ? await pending : pending;
          if (closed) return;
          if (idle) {
            // A listener that came during the read starts at the cursor: read its rows after all.
            if (listeners.size > 0) continue;
            cursor = res.latest;
            break;
          }
          if (res.gap) {
            cursor = res.latest;
            notify([], true);
            break;
          }
          if (res.changes.length === 0) break;
          cursor = res.changes[res.changes.length - 1]!.seq;
          notify(res.changes, false);
          if (res.changes.length < batch) break;
          await nextTurn();
          if (closed) return;
        }
      } while (again && !closed);
    } finally {
      running = false;
    }
  }

  function run(): void {
    scheduled = false;
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    drain().catch((err: unknown) => logger.error('realtime: reading the change log failed', err));
  }

  return {
    cursor: () => cursor,
    wake() {
      if (scheduled || closed || (deps.latest && listeners.size === 0)) return;
      if (running) {
        again = true;
        return;
      }
      scheduled = true;
      setImmediate(run);
    },
    subscribe(listener) {
      if (deps.latest && listeners.size === 0) cursor = deps.latest();
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      listeners.clear();
    },
  };
}
