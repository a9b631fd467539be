/**
 * Rate-limit buckets shared by the SQLite workers of one data dir (`hearth serve --workers N`),
 * in a small SQLite file of their own beside data.db (`rate-limits.db`). Each check is one
 * autocommit statement — an upsert that refills, charges and answers atomically
 * (`INSERT … ON CONFLICT DO UPDATE … WHERE <a token is left> RETURNING`), so N workers spend one
 * budget and two can never both take the last token; a refused check writes nothing (the bucket
 * refills the same either way) and reads the row once more for its Retry-After. The refill
 * arithmetic is rate-limit.ts's, in SQL, as in the PostgreSQL store (rate-limit-engine-store.ts).
 *
 * Why a file of its own: a charge is a write, and in data.db every write takes the one write lock
 * that record writes queue on (BEGIN IMMEDIATE) and moves every other worker's `data_version` —
 * which makes them re-read their cached auth records, the schema version and the change log. In
 * its own file a charge contends only with other charges (a single short statement) and leaves
 * the data and the other workers' caches alone; losing the buckets with the file is harmless.
 *
 * A check answers synchronously when the file's write lock is free (the usual case: one
 * statement, no promise); while another worker holds it the check is retried after a turn of the
 * event loop and then every millisecond — never blocking this process in SQLite's busy handler —
 * and fails busy (a 503) after LOCK_WAIT_MS, as a write on data.db would.
 */
import type { SqlDb } from '../db/index.ts';
import { DEFAULT_RATE_LIMIT_MAX_KEYS, type RateLimitResult, type RateLimitRule, type SharedBucketStore } from './rate-limit.ts';
import { bucketPrefix, bucketRowId, refusedResult, takeParams, type BucketRow } from './rate-limit-sql-bucket.ts';

/** The file beside data.db. */
export const RATE_LIMIT_FILE = 'rate-limits.db';
/** How long a check waits for another worker's write lock on the file before failing busy. */
export const RATE_LIMIT_LOCK_WAIT_MS = 5000;

const SCHEMA = `CREATE TABLE IF NOT EXISTS "buckets" ("id" TEXT PRIMARY KEY NOT NULL, "tokens" REAL NOT NULL, "updated" INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS "buckets_updated_idx" ON "buckets" ("updated")`;

/** Refilled tokens of the stored bucket `b` at `excluded."updated"` (the check's clock). */
const REFILLED = `min(?, b."tokens" + max(0, excluded."updated" - b."updated") * ?)`;
const TAKE_SQL = `INSERT INTO "buckets" AS b ("id", "tokens", "updated") VALUES (?, ?, ?)
ON CONFLICT ("id") DO UPDATE SET "tokens" = max(0, ${REFILLED} - 1), "updated" = max(b."updated", excluded."updated")
WHERE ${REFILLED} >= ?
RETURNING "tokens"`;
const ROW_SQL = 'SELECT "tokens", "updated" FROM "buckets" WHERE "id" = ?';
/** A namespace's ids are the range [prefix, prefix with its last character (':') moved to ';'). */
const OWN = '"id" >= ? AND "id" < ?';

const isBusy = (err: unknown): boolean => {
  const code = (err as { cause?: { code?: unknown }; code?: unknown } | null)?.cause?.code ?? (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
};
const pause = (ms: number): Promise<void> => new Promise((resolve) => (ms === 0 ? setImmediate(resolve) : setTimeout(resolve, ms)));

/** Prepares the file (opened by the caller with openDatabase) for bucket stores; once per process. */
export function prepareRateLimitFile(db: SqlDb): void {
  db.exec(SCHEMA);
  // Checks never sleep in SQLite's busy handler: a held lock is retried from the event loop.
  db.get('PRAGMA busy_timeout = 0');
}

/**
 * Buckets under `namespace` in the prepared file (one namespace per limiter: its prune uses its
 * own longest window and must not forget another limiter's buckets), at most `maxKeys` kept by prune.
 */
export function createFileBucketStore(db: SqlDb, namespace: string, maxKeys: number = DEFAULT_RATE_LIMIT_MAX_KEYS): SharedBucketStore {
  const prefix = bucketPrefix(namespace);
  const end = `${namespace};`;

  function takeNow(rowId: string, nowMs: number, rule: RateLimitRule): RateLimitResult {
    if (db.get(TAKE_SQL, takeParams(rowId, nowMs, rule))) return { ok: true };
    return refusedResult(db.get<BucketRow>(ROW_SQL, [rowId]), nowMs, rule);
  }

  async function takeLater(key: string, nowMs: number, rule: RateLimitRule): Promise<RateLimitResult> {
    const deadline = performance.now() + RATE_LIMIT_LOCK_WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      await pause(attempt < 1 ? 0 : 1);
      try {
        return takeNow(key, nowMs, rule);
      } catch (err) {
        if (!isBusy(err) || performance.now() >= deadline) throw err;
      }
    }
  }

  return {
    take(id, nowMs, rule) {
      const key = bucketRowId(prefix, id);
      try {
        return takeNow(key, nowMs, rule);
      } catch (err) {
        if (!isBusy(err)) throw err;
        return takeLater(key, nowMs, rule);
      }
    },
    prune(nowMs, idleMs) {
      try {
        db.run(`DELETE FROM "buckets" WHERE ${OWN} AND "updated" < ?`, [prefix, end, nowMs - idleMs]);
        db.run(`DELETE FROM "buckets" WHERE "id" IN (SELECT "id" FROM "buckets" WHERE ${OWN} ORDER BY "updated" DESC LIMIT -1 OFFSET ?)`, [prefix, end, maxKeys]);
      } catch (err) {
        if (!isBusy(err)) throw err; // a hint: the next prune does it
      }
    },
  };
}
