/**
 * The in-process ChangeFeed over the `_changes` table. A `recordChanged` event only wakes it up;
 * what it delivers is always read back from the log, in seq order, so listeners see every
 * committed change exactly once even if an event was missed. Writes by another process (another
 * worker, the CLI) wake it through `wake()` (the worker link's note) or, as a safety net, a timer
 * that reads only `PRAGMA data_version` — the log is queried only when someone else committed.
 * SQLite has one writer at a time and assigns `seq` inside the write
 * transaction, so seqs become visible in order: reading `seq > cursor` never skips one. The
 * read-and-deliver loop is feed-tail.ts, shared with the Postgres feed; here its reads are
 * synchronous, so a drain runs in one turn.
 */
import { otherWriterProbe, type SqlDb } from '../db/index.ts';
import type { EventBus } from '../shared/events.ts';
import type { Logger } from '../shared/logger.ts';
import type { ChangeFeed } from './change-feed.ts';
import { createFeedTail, type TailRead } from './feed-tail.ts';
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

  const latestSeq = (): number =>
    db.get<{ seq: number }>(`SELECT "seq" FROM "sqlite_sequence" WHERE "name" = '_changes'`)?.seq ?? 0;

  function read(seq: number, limit: number): TailRead {
    // One read transaction: the retained range and the rows come from the same snapshot.
    return db.snapshot(() => {
      const latest = latestSeq();
      if (seq > latest) return { changes: [], gap: true, latest };
      const rows = db.all<LogRow>(READ_SQL, [seq, limit]);
      // The next seq is in the log: nothing after `seq` was pruned, so the log's oldest entry need
      // not be read (the live tail's every drain). Otherwise retention may have cut into the range.
      if (rows[0]?.seq !== seq + 1) {
        const oldest = db.get<{ seq: number | null }>('SELECT MIN("seq") AS "seq" FROM "_changes"')?.seq ?? null;
        if (oldest === null ? seq < latest : seq < oldest - 1) return { changes: [], gap: true, latest };
      }
      return { changes: rows.map(toEntry), gap: false, latest };
    });
  }

  const tail = createFeedTail({ start: latestSeq(), read, latest: latestSeq, batch: DRAIN_BATCH, logger });
  const offChanged = deps.events.on('recordChanged', tail.wake);
  const otherWriter = otherWriterProbe(db);
  const poll = setInterval(() => {
    try {
      if (otherWriter()) tail.wake();
    } catch (err) {
      logger.error('realtime: checking the database for other writers failed', err);
    }
  }, deps.pollIntervalMs);
  poll.unref();

  return {
    latestSeq,
    readSince(seq, limit) {
      const { changes, gap } = read(seq, limit);
      return { changes, gap };
    },
    wake: tail.wake,
    subscribe: tail.subscribe,
    close() {
      clearInterval(poll);
      offChanged();
      tail.close();
    },
  };
}
