/**
 * Once-per-deployment scheduled work: every process schedules the same timers, and before a tick
 * runs, the process claims it with one row in `_cronRuns` keyed by (name, scheduled time). The
 * INSERT that wins runs the tick; the others skip. It goes through the database, so it holds for
 * any number of workers and machines on one database.
 */
import type { SqlDb } from './database.ts';

/** Claim rows are only needed while processes might still race for a tick; a day is ample. */
export const TICK_CLAIM_RETENTION_MS = 24 * 3600 * 1000;

/** True when this process won the tick `slotMs` of `name` (and should run it). */
export function claimTick(db: SqlDb, name: string, slotMs: number, owner: string): boolean {
  const res = db.run('INSERT OR IGNORE INTO "_cronRuns" ("name", "slot", "owner", "claimed") VALUES (?, ?, ?, ?)', [name, slotMs, owner, Date.now()]);
  if (res.changes === 1) db.run('DELETE FROM "_cronRuns" WHERE "name" = ? AND "slot" < ?', [name, slotMs - TICK_CLAIM_RETENTION_MS]);
  return res.changes === 1;
}
