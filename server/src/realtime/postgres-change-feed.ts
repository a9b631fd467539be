/**
 * The ChangeFeed of a node on PostgreSQL: it tails the shared `_changes` outbox after the last
 * seq it delivered. Every `_changes` insert NOTIFYs `hearth_changes` with the new highest seq
 * (a trigger, migration 7), which only wakes the tail; what is delivered is always read back
 * from the table in seq order, and a slow poll reads it too, so a lost notification (or a
 * dropped listener connection) costs latency, never an event. Writers hold the writer lock from
 * BEGIN to COMMIT (postgres-engine.ts), so seqs commit in order and `seq > cursor` skips none.
 *
 * `latestSeq()` is the seq delivered through (the network read is async); a subscription made
 * now gets every later seq live, and `since` from any node resumes here, because seq is the
 * database's. The read-and-deliver loop is feed-tail.ts, shared with the SQLite feed.
 */
import { CHANGES_CHANNEL, type PostgresListener, type SqlEngine } from '../db/index.ts';
import type { EventBus } from '../shared/events.ts';
import type { Logger } from '../shared/logger.ts';
import type { ChangeFeed } from './change-feed.ts';
import { createFeedTail, type TailRead } from './feed-tail.ts';
import { READ_SQL, toEntry, type LogRow } from './change-rows.ts';

/** Entries read per step; the tail yields between steps. */
export const PG_DRAIN_BATCH = 500;
/** The safety-net poll when no notification arrives (a notification wakes the tail at once). */
export const PG_POLL_MS = 1_000;

/** The retained range and the rows in one statement, so both come from one snapshot. */
const READ_WITH_BOUNDS = `
  WITH b AS (SELECT MIN("seq") AS "lo", COALESCE(MAX("seq"), 0) AS "hi" FROM "_changes")
  SELECT b."lo" AS "_lo", b."hi" AS "_hi", r.* FROM b LEFT JOIN LATERAL (${READ_SQL}) r ON TRUE ORDER BY r."seq"`;

type BoundedRow = { _lo: number | null; _hi: number } & { [K in keyof LogRow]: LogRow[K] | null };

export interface PostgresChangeFeedDeps {
  engine: SqlEngine;
  /** LISTEN on `hearth_changes`; without one the feed wakes on local events and the poll only. */
  listener?: PostgresListener;
  /** This node's own commits (`recordChanged`) wake the tail without waiting for the round trip. */
  events?: EventBus;
  logger: Logger;
  pollIntervalMs?: number;
}

export async function createPostgresChangeFeed(deps: PostgresChangeFeedDeps): Promise<ChangeFeed> {
  const { engine, logger } = deps;

  async function read(seq: number, limit: number): Promise<TailRead> {
    const rows = await engine.all<BoundedRow>(READ_WITH_BOUNDS, [seq, limit]);
    const lo = rows[0]?._lo ?? null;
    const latest = rows[0]?._hi ?? 0;
    // An empty log after entries were written (all pruned) is a gap for any seq but 0: resync.
    const gap = seq > latest || (lo !== null && seq < lo - 1);
    if (gap) return { changes: [], gap, latest };
    const changes = rows.filter((r) => r.seq !== null).map((r) => toEntry(r as LogRow));
    return { changes, gap, latest };
  }

  const tail = createFeedTail({ start: (await read(Number.MAX_SAFE_INTEGER, 0)).latest, read, batch: PG_DRAIN_BATCH, logger });
  const wake = tail.wake;

  const offs: (() => void)[] = [];
  if (deps.listener) {
    offs.push(
      deps.listener.on(CHANGES_CHANNEL, (payload) => {
        const seq = Number(payload);
        if (!(Number.isFinite(seq) && seq <= tail.cursor())) wake();
      }),
      // Notifications sent while the listener was down are lost: read the log on every connect.
      deps.listener.onConnect(wake),
    );
  }
  if (deps.events) offs.push(deps.events.on('recordChanged', wake));
  const poll = setInterval(wake, deps.pollIntervalMs ?? PG_POLL_MS);
  poll.unref();

  return {
    latestSeq: tail.cursor,
    readSince: async (seq, limit) => {
      const { changes, gap } = await read(seq, limit);
      return { changes, gap };
    },
    wake,
    subscribe: tail.subscribe,
    close() {
      clearInterval(poll);
      for (const off of offs) off();
      tail.close();
    },
  };
}
