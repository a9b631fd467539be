/**
 * Retention of the change log: keep at most `maxRows` entries and none older than `maxAgeMs`.
 * Pruning deletes the oldest entries in small steps (each its own short write transaction) from
 * an unref'd background timer, so it never holds the write lock for long nor keeps the process up.
 */
import type { SqlDb } from '../db/index.ts';
import type { Logger } from '../shared/logger.ts';
import { formatDate } from '../shared/clock.ts';
import type { RetentionOptions } from './options.ts';

/** Rows deleted per step; a step is a few milliseconds of write lock. */
export const PRUNE_STEP = 5_000;

/** The highest seq that falls outside the window, or 0 when nothing does. */
function pruneBound(db: SqlDb, opts: Pick<RetentionOptions, 'maxRows' | 'maxAgeMs'>, nowMs: number): number {
  const max = db.get<{ seq: number | null }>('SELECT MAX("seq") AS "seq" FROM "_changes"')?.seq ?? 0;
  const byCount = Math.max(0, (max ?? 0) - opts.maxRows);
  const cutoff = formatDate(new Date(nowMs - opts.maxAgeMs));
  const byAge =
    db.get<{ seq: number | null }>('SELECT MAX("seq") AS "seq" FROM "_changes" WHERE "created" < ?', [cutoff])?.seq ?? 0;
  return Math.max(byCount, byAge ?? 0);
}

/** Deletes one step of out-of-window entries; returns how many were deleted. */
export function pruneStep(db: SqlDb, opts: Pick<RetentionOptions, 'maxRows' | 'maxAgeMs'>, nowMs = Date.now()): number {
  const bound = pruneBound(db, opts, nowMs);
  if (bound <= 0) return 0;
  return db.run(
    'DELETE FROM "_changes" WHERE "seq" IN (SELECT "seq" FROM "_changes" WHERE "seq" <= ? ORDER BY "seq" LIMIT ?)',
    [bound, PRUNE_STEP],
  ).changes;
}

/** Prunes to the window synchronously (used by the timer and by tests/tools). */
export function pruneChanges(db: SqlDb, opts: Pick<RetentionOptions, 'maxRows' | 'maxAgeMs'>, nowMs = Date.now()): number {
  let total = 0;
  for (;;) {
    const n = pruneStep(db, opts, nowMs);
    total += n;
    if (n < PRUNE_STEP) return total;
  }
}

/** Starts the background pruner; returns its stop function. */
export function startRetention(db: SqlDb, opts: RetentionOptions, logger: Logger): () => void {
  let running = false;
  let stopped = false;
  const step = (): void => {
    if (stopped) {
      running = false;
      return;
    }
    try {
      if (pruneStep(db, opts) === PRUNE_STEP) {
        setImmediate(step); // more to do: yield to requests between steps
        return;
      }
    } catch (err) {
      logger.warn('realtime: pruning the change log failed', err);
    }
    running = false;
  };
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    step();
  }, opts.intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
