/**
 * Rate-limit buckets in `_rateLimits` through the async engine (PostgreSQL), shared by every node
 * on the database: each check is one autocommit statement — an upsert that refills, charges and
 * answers atomically (`INSERT … ON CONFLICT DO UPDATE … WHERE <a token is left> RETURNING`), so N
 * nodes spend one budget and two nodes can never both take the last token. It does not wait for
 * the writer lock. A refused check writes nothing (the bucket refills the same either way) and
 * reads the row once more for its Retry-After. The refill arithmetic is rate-limit.ts's, in SQL.
 */
import type { SqlEngine } from '../db/index.ts';
import { DEFAULT_RATE_LIMIT_MAX_KEYS, type RateLimitResult, type RateLimitRule, type SharedBucketStore } from './rate-limit.ts';
import { bucketPrefix, bucketRowId, refusedResult, takeParams, type BucketRow } from './rate-limit-sql-bucket.ts';

/** Refilled tokens of the stored bucket `b` at `excluded."updated"` (the check's clock). */
const REFILLED = `LEAST(?::double precision, b."tokens" + GREATEST(0, excluded."updated" - b."updated") * ?::double precision)`;

const TAKE_SQL = `INSERT INTO "_rateLimits" AS b ("id", "tokens", "updated") VALUES (?, ?::double precision, ?::bigint)
ON CONFLICT ("id") DO UPDATE SET "tokens" = GREATEST(0, ${REFILLED} - 1), "updated" = GREATEST(b."updated", excluded."updated")
WHERE ${REFILLED} >= ?::double precision
RETURNING "tokens"`;

const ROW_SQL = 'SELECT "tokens", "updated" FROM "_rateLimits" WHERE "id" = ?';

/**
 * Buckets under `namespace` (one per limiter: its prune uses its own longest window and must not
 * forget another limiter's buckets), at most `maxKeys` of them kept by prune.
 */
export function createEngineBucketStore(engine: SqlEngine, namespace: string, maxKeys: number = DEFAULT_RATE_LIMIT_MAX_KEYS): SharedBucketStore {
  const prefix = bucketPrefix(namespace);
  return {
    async take(id: string, nowMs: number, rule: RateLimitRule): Promise<RateLimitResult> {
      const rowId = bucketRowId(prefix, id);
      if (await engine.get(TAKE_SQL, takeParams(rowId, nowMs, rule))) return { ok: true };
      return refusedResult(await engine.get<BucketRow>(ROW_SQL, [rowId]), nowMs, rule);
    },
    async prune(nowMs: number, idleMs: number): Promise<void> {
      const own = 'left("id", ?::int) = ?';
      await engine.run(`DELETE FROM "_rateLimits" WHERE ${own} AND "updated" < ?::bigint`, [prefix.length, prefix, nowMs - idleMs]);
      await engine.run(
        `DELETE FROM "_rateLimits" WHERE "id" IN (SELECT "id" FROM "_rateLimits" WHERE ${own} ORDER BY "updated" DESC OFFSET ?::bigint)`,
        [prefix.length, prefix, maxKeys],
      );
    },
  };
}
