/**
 * What the two SQL bucket stores (rate-limit-file-store.ts on SQLite workers, and
 * rate-limit-engine-store.ts on PostgreSQL) share: how a limiter's namespace and a client id
 * make a bucket's row id, the parameters of the refill-and-charge upsert, and the Retry-After of
 * a refused check from the stored row. The arithmetic is rate-limit.ts's memory store's.
 */
import { EPSILON, refused, type RateLimitResult, type RateLimitRule } from './rate-limit.ts';

/** The stored bucket a refused check reads back. */
export interface BucketRow {
  tokens: number;
  updated: number;
}

/**
 * A namespace's row ids all start with `namespace:`. Text cannot hold NUL on PostgreSQL, so ids
 * are escaped reversibly (`%` → `%25`, NUL → `%00`) on both engines: the same id, the same row.
 */
export const bucketPrefix = (namespace: string): string => `${namespace}:`;
export const bucketRowId = (prefix: string, id: string): string => prefix + id.replaceAll('%', '%25').replaceAll('\u0000', '%00');

/** Tokens refilled per millisecond under `rule`. */
export const refillPerMs = (rule: RateLimitRule): number => rule.limit / (rule.windowSeconds * 1000);

/**
 * The upsert's parameters, in the order both stores' TAKE_SQL uses them: row id, tokens of a new
 * bucket, the check's clock, then (limit, per-ms rate) for each of the two refill expressions,
 * then the least token count that may be charged.
 */
export function takeParams(rowId: string, nowMs: number, rule: RateLimitRule): unknown[] {
  const perMs = refillPerMs(rule);
  return [rowId, rule.limit - 1, nowMs, rule.limit, perMs, rule.limit, perMs, 1 - EPSILON];
}

/** The answer to a refused check: when the next token is due, from the stored bucket. */
export function refusedResult(row: BucketRow | undefined, nowMs: number, rule: RateLimitRule): RateLimitResult {
  const perMs = refillPerMs(rule);
  return refused(row ? Math.min(rule.limit, row.tokens + Math.max(0, nowMs - row.updated) * perMs) : 0, perMs);
}
