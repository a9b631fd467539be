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
  const max = Number((await q.get<{ seq: number | null }>('SELECT MAX("seq") AS "seq" FROM "_changes"'))?.seq ?? 0);
  const byCount = Math.max(0, max - opts.maxRows);
  const cutoff = formatDate(new Date(nowMs - opts.maxAgeMs));
  const old = await q.get<{ seq: number | null }>('SELECT MAX("seq") AS "seq" FROM "_changes" WHERE "created" < ?', [cutoff]);
  return Math.max(byCount, Number(old?.seq ?? 0));
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
