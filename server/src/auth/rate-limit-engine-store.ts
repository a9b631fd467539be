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

/** As in rate-limit.ts: absorbs float rounding so "exactly refilled" counts as refilled. */
const EPSILON = 1e-9;

/** Refilled tokens of the stored bucket `b` at `excluded."updated"` (the check's clock). */
const REFILLED = `LEAST(?::double precision, b."tokens" + GREATEST(0, excluded."updated" - b."updated") * ?::double precision)`;

const TAKE_SQL = `INSERT INTO "_rateLimits" AS b ("id", "tokens", "updated") VALUES (?, ?::double precision, ?::bigint)
ON CONFLICT ("id") DO UPDATE SET "tokens" = GREATEST(0, ${REFILLED} - 1), "updated" = GREATEST(b."updated", excluded."updated")
WHERE ${REFILLED} >= ?::double precision
RETURNING "tokens"`;

/** Text cannot hold NUL on PostgreSQL: ids are escaped reversibly (`%` → `%25`, NUL → `%00`). */
const escapeId = (id: string): string => id.replaceAll('%', '%25').replaceAll('\u0000', '%00');

/**
 * Buckets under `namespace` (one per limiter: its prune uses its own longest window and must not
 * forget another limiter's buckets), at most `maxKeys` of them kept by prune.
 */
export function createEngineBucketStore(engine: SqlEngine, namespace: string, maxKeys: number = DEFAULT_RATE_LIMIT_MAX_KEYS): SharedBucketStore {
  const prefix = `${namespace}:`;
  return {
    async take(id: string, nowMs: number, rule: RateLimitRule): Promise<RateLimitResult> {
      const key = prefix + escapeId(id);
      const perMs = rule.limit / (rule.windowSeconds * 1000);
      const taken = await engine.get(TAKE_SQL, [key, rule.limit - 1, nowMs, rule.limit, perMs, rule.limit, perMs, 1 - EPSILON]);
      if (taken) return { ok: true };
      const row = await engine.get<{ tokens: number; updated: number }>('SELECT "tokens", "updated" FROM "_rateLimits" WHERE "id" = ?', [key]);
      const tokens = row ? Math.min(rule.limit, row.tokens + Math.max(0, nowMs - row.updated) * perMs) : 0;
      const waitSeconds = (1 - tokens) / perMs / 1000;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitSeconds - EPSILON)) };
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
