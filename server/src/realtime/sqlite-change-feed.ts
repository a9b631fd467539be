/**
 * The in-process ChangeFeed over the `_changes` table. A `recordChanged` event only wakes it up;
 * what it delivers is always read back from the log, in seq order, so listeners see every
 * committed change exactly once even if an event was missed. Writes by another process (another
 * worker, the CLI) wake it through `wake()` (the worker link's note) or, as a safety net, a timer
 * that reads only `PRAGMA data_version` — the log is queried only when someone else committed.
 * SQLite has one writer at a time and assigns `seq` inside the write
 * transaction, so seqs become visible in order: reading `seq > cursor` never skips one.
 */
import { otherWriterProbe, type SqlDb } from '../db/index.ts';
import type { EventBus } from '../shared/events.ts';
import type { Logger } from '../shared/logger.ts';
import type { ChangeEntry, ChangeFeed, ChangeListener, ReadResult } from './change-feed.ts';
import { READ_SQL, toEntry, type LogRow } from './change-rows.ts';

/** Entries handed to listeners per step; the loop yields between steps. */
export const DRAIN_BATCH = 500;

export interface SqliteChangeFeedDeps {
  db: SqlDb;
  events: EventBus;
  logger: Logger;
  pollIntervalMs: number;
}

export function createSqliteChangeFeed(deps: SqliteChangeFeedDeps): ChangeFeed {
  const { db, logger } = deps;
  const listeners = new Set<ChangeListener>();

  const latestSeq = (): number =>
    db.get<{ seq: number }>(`SELECT "seq" FROM "sqlite_sequence" WHERE "name" = '_changes'`)?.seq ?? 0;

  function readSince(seq: number, limit: number): ReadResult {
    // One read transaction: the retained range and the rows come from the same snapshot.
    return db.snapshot(() => {
      const latest = latestSeq();
      const oldest = db.get<{ seq: number | null }>('SELECT MIN("seq") AS "seq" FROM "_changes"')?.seq ?? null;
      const gap = seq > latest || (oldest === null ? seq < latest : seq < oldest - 1);
      if (gap) return { changes: [], gap };
      return { changes: db.all<LogRow>(READ_SQL, [seq, limit]).map(toEntry), gap };
    });
  }

  let cursor = latestSeq();
  let scheduled = false;
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

  function drain(): void {
    scheduled = false;
    if (closed) return;
    const res = readSince(cursor, DRAIN_BATCH);
    if (res.gap) {
      cursor = latestSeq();
      notify([], true);
      return;
    }
    if (res.changes.length === 0) return;
    cursor = res.changes[res.changes.length - 1]!.seq;
    notify(res.changes, false);
    if (res.changes.length === DRAIN_BATCH) schedule();
  }

  function schedule(): void {
    if (scheduled || closed) return;
    scheduled = true;
    setImmediate(() => {
      try {
        drain();
      } catch (err) {
        logger.error('realtime: reading the change log failed', err);
      }
    });
  }

  const offChanged = deps.events.on('recordChanged', schedule);
  const otherWriter = otherWriterProbe(db);
  const poll = setInterval(() => {
    try {
      if (otherWriter()) schedule();
    } catch (err) {
      logger.error('realtime: checking the database for other writers failed', err);
    }
  }, deps.pollIntervalMs);
  poll.unref();

  return {
    latestSeq,
    readSince,
    wake: schedule,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      clearInterval(poll);
      offChanged();
      listeners.clear();
    },
  };
}
