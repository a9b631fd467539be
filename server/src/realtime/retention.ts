/**
 * Retention of the change log: keep at most `maxRows` entries and none older than `maxAgeMs`.
 * Pruning deletes the oldest entries in small steps (each its own short write statement, queued
 * behind the engine's writer like any other write) from an unref'd background timer, so it never
 * holds the write lock for long nor keeps the process up. The same SQL on either engine.
 */
import type { SqlQueryable } from '../db/index.ts';
import type { Logger } from '../shared/logger.ts';
import { formatDate } from '../shared/clock.ts';
import type { RetentionOptions } from './options.ts';

/** Rows deleted per step; a step is a few milliseconds of write lock. */
export const PRUNE_STEP = 5_000;

type Window = Pick<RetentionOptions, 'maxRows' | 'maxAgeMs'>;

/** The highest seq that falls outside the window, or 0 when nothing does. */
async function pruneBound(q: SqlQueryable, opts: Window, nowMs: number): Promise<number> {
  const range = await q.get<{ lo: number | null; hi: number | null }>('SELECT MIN("seq") AS "lo", MAX("seq") AS "hi" FROM "_changes"');
  if (range?.lo == null || range.hi == null) return 0;
  const byCount = Math.max(0, Number(range.hi) - opts.maxRows);
  const cutoff = formatDate(new Date(nowMs - opts.maxAgeMs));
  return Math.max(byCount, await lastSeqBefore(q, cutoff, Number(range.lo), Number(range.hi)));
}

const createdAt = async (q: SqlQueryable, seq: number): Promise<string> =>
  String((await q.get<{ created: string }>('SELECT "created" FROM "_changes" WHERE "seq" = ?', [seq]))?.created ?? '');

/**
 * The highest seq created before `cutoff` (0 if none), by bisection over seq between the oldest
 * (`lo`) and newest (`hi`) entry: an entry's seq and `created` are both taken inside its write
 * transaction, so they grow together and the log needs no index on `created` — about 2·log2(rows)
 * primary-key reads. (Were the clock to step back, the cut-off would be off by the entries
 * written meanwhile; age is a bound on what is kept, not a promise to keep.)
 */
async function lastSeqBefore(q: SqlQueryable, cutoff: string, lo: number, hi: number): Promise<number> {
  if (!((await createdAt(q, lo)) < cutoff)) return 0;
  if ((await createdAt(q, hi)) < cutoff) return hi;
  // `lo` is an entry created before the cut-off; every entry from `hi` on was created after it.
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    const next = await q.get<{ seq: number; created: string }>(
      'SELECT "seq", "created" FROM "_changes" WHERE "seq" >= ? AND "seq" < ? ORDER BY "seq" LIMIT 1',
      [mid, hi],
    );
    if (next && String(next.created) < cutoff) lo = Number(next.seq);
    else hi = mid;
  }
  return lo;
}

/** Deletes one step of out-of-window entries; returns how many were deleted. */
export async function pruneStep(q: SqlQueryable, opts: Window, nowMs = Date.now()): Promise<number> {
  const bound = await pruneBound(q, opts, nowMs);
  if (bound <= 0) return 0;
  const res = await q.run(
    'DELETE FROM "_changes" WHERE "seq" IN (SELECT "seq" FROM "_changes" WHERE "seq" <= ? ORDER BY "seq" LIMIT ?)',
    [bound, PRUNE_STEP],
  );
  return res.changes;
}

/** Prunes to the window now, step by step (used by the timer's callers, tests and tools). */
export async function pruneChanges(q: SqlQueryable, opts: Window, nowMs = Date.now()): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await pruneStep(q, opts, nowMs);
    total += n;
    if (n < PRUNE_STEP) return total;
  }
}

/** Starts the background pruner; returns its stop function. */
export function startRetention(q: SqlQueryable, opts: RetentionOptions, logger: Logger): () => void {
  let running = false;
  let stopped = false;
  const run = async (): Promise<void> => {
    try {
      // More to do: yield to requests between steps.
      while (!stopped && (await pruneStep(q, opts)) === PRUNE_STEP) await new Promise((r) => setImmediate(r));
    } catch (err) {
      logger.warn('realtime: pruning the change log failed', err);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void run();
  }, opts.intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
