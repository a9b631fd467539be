/**
 * In-memory rate limiting for auth endpoints: one token bucket per (rule, key). A rule
 * `{ limit, windowSeconds }` allows a burst of `limit` requests and refills the bucket
 * completely over `windowSeconds` (so the sustained rate is limit/window). Memory is bounded:
 * past `maxKeys` the least recently touched bucket is evicted — almost always one that had
 * refilled already, which is the same as never having been seen.
 * Buckets live in a BucketStore: in memory for a single process, or in the database
 * (rate-limit-store.ts) when several workers or machines serve one database and must share them.
 * Several processes on one database take a SharedBucketStore instead: one atomic statement per
 * check — through the async engine on PostgreSQL (rate-limit-engine-store.ts), so `check` answers
 * a promise; in a file of their own for SQLite workers (rate-limit-file-store.ts), answered at once
 * unless another worker holds that file's lock.
 */
import { AppError } from '../shared/errors.ts';

export interface RateLimitRule {
  limit: number;
  windowSeconds: number;
}

export type RateLimitResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Defaults (overridable in settings → rateLimits). Every auth endpoint checks at least its `:ip`
 * rule. Password sign-in uses three buckets, checked in this order (see docs/auth.md):
 *  - `:ip` — one address across all accounts (credential stuffing): 30 a minute;
 *  - `:ip-identity` — one address against one account: a burst of 5, then one a minute, so a
 *    single attacker is throttled long before they matter;
 *  - `:identity` — all addresses against one account: a ceiling for distributed guessing. It
 *    refills (100/h) faster than one address may sustain (≤ 60/h), so one attacker alone can
 *    never exhaust it and lock the real owner out from their own address.
 * Mail-sending endpoints are tight per address so nobody can mail-bomb a user.
 */
export const DEFAULT_AUTH_RATE_LIMITS: Readonly<Record<string, RateLimitRule>> = Object.freeze({
  'auth-with-password:ip': { limit: 30, windowSeconds: 60 },
  'auth-with-password:ip-identity': { limit: 5, windowSeconds: 300 },
  'auth-with-password:identity': { limit: 100, windowSeconds: 3600 },
  'auth-refresh:ip': { limit: 60, windowSeconds: 60 },
  'auth-methods:ip': { limit: 120, windowSeconds: 60 },
  /** request-otp, request-verification, request-password-reset, request-email-change. */
  'auth-email:ip': { limit: 10, windowSeconds: 60 },
  /** Per flow and address: three mails per ten minutes. */
  'auth-email:identity': { limit: 3, windowSeconds: 600 },
  /** confirm-* (links), auth-with-otp, auth-with-oauth2. */
  'auth-confirm:ip': { limit: 20, windowSeconds: 60 },
  /** Guesses at one emailed code (PocketBase allows 5 per 3 minutes). */
  'auth-with-otp:record': { limit: 5, windowSeconds: 180 },
  /** One verification / password-reset mail per record and flow every two minutes (PocketBase's resend pause). */
  'auth-email:resend': { limit: 1, windowSeconds: 120 },
  /** impersonate, session listing and sign-out. */
  'auth-session:ip': { limit: 60, windowSeconds: 60 },
});

/**
 * Limits that `rateLimits.enabled: false` does not lift (PocketBase keeps them on too): guessing a
 * short emailed code, and mailing one record again and again. They can be retuned, not removed.
 */
export const ALWAYS_ON_RATE_LIMITS: ReadonlySet<string> = new Set(['auth-with-otp:record', 'auth-email:resend']);

/** ~150 bytes per bucket: 100k keys ≈ 15 MB in the worst case. */
export const DEFAULT_RATE_LIMIT_MAX_KEYS = 100_000;
/** Keys are IPs and identities; longer ones are clipped so a key cannot be used to eat memory. */
const MAX_KEY_LENGTH = 320;
/** Stores that keep idle buckets (the database) are pruned once per this many checks. */
export const PRUNE_EVERY_CHECKS = 1000;
/** Refill is fractional; this absorbs float rounding so "exactly refilled" counts as refilled. */
export const EPSILON = 1e-9;

/** The refused answer for a bucket holding `tokens` that refills `perMs` tokens per millisecond. */
export function refused(tokens: number, perMs: number): RateLimitResult {
  const waitSeconds = (1 - tokens) / perMs / 1000;
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitSeconds - EPSILON)) };
}

export interface RateLimiter {
  /**
   * Consumes one request from the bucket of (ruleName, key). Unknown rule names throw. Answers
   * synchronously from a BucketStore, with a promise from a SharedBucketStore.
   */
  check(key: string, ruleName: string): RateLimitResult | Promise<RateLimitResult>;
  /** Replaces the rules (e.g. after settings change); existing buckets are kept. */
  setRules(rules: Record<string, RateLimitRule>): void;
  /** A disabled limiter admits everything but ALWAYS_ON_RATE_LIMITS (settings → rateLimits.enabled = false). */
  setEnabled(enabled: boolean): void;
  /** Forgets every bucket. Shared buckets are not cleared (see SharedBucketStore). */
  reset(): void;
  /** Buckets held in this process (0 with a SharedBucketStore). */
  readonly size: number;
}

/** A limiter over a synchronous BucketStore (the default): `check` answers at once. */
export interface SyncRateLimiter extends RateLimiter {
  check(key: string, ruleName: string): RateLimitResult;
}

export interface RateLimiterOptions {
  rules?: Record<string, RateLimitRule>;
  maxKeys?: number;
  clock?: () => number;
  /** Where buckets live; default in this process's memory. */
  store?: BucketStore;
  /** Buckets shared through an async database (every node counts one budget); takes precedence over `store`. */
  shared?: SharedBucketStore;
}

export interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** Bucket storage. `update` must be atomic: read, compute and write with nobody in between. */
export interface BucketStore {
  /** Replaces the bucket `id` (undefined when unknown) with what `next` returns, and returns that. */
  update<T>(id: string, nowMs: number, next: (bucket: Bucket | undefined) => { bucket: Bucket; result: T }): T;
  /** A hint that buckets untouched for `idleMs` are full again (so may be forgotten). */
  prune?(nowMs: number, idleMs: number): void;
  clear(): void;
  readonly size: number;
}

/**
 * Buckets in a database shared by every process on it. `take` refills, charges and answers in
 * one atomic step (no read-modify-write across round trips), at once or as a promise. Bucket ids
 * carry the rule's limit and window, so a changed rule starts new buckets on every node at once
 * and nothing needs clearing (a reset cannot race another node's requests); idle ones are pruned.
 */
export interface SharedBucketStore {
  take(id: string, nowMs: number, rule: RateLimitRule): RateLimitResult | Promise<RateLimitResult>;
  /** Forgets this store's buckets untouched for `idleMs` (full again), then the oldest past its key cap. */
  prune(nowMs: number, idleMs: number): void | Promise<void>;
}

/** In-memory buckets, least recently touched evicted past `maxKeys`. */
export function createMemoryBucketStore(maxKeys: number = DEFAULT_RATE_LIMIT_MAX_KEYS): BucketStore {
  const buckets = new Map<string, Bucket>();
  return {
    update(id, _nowMs, next) {
      const out = next(buckets.get(id));
      // Re-insert so Map order is least-recently-touched first.
      buckets.delete(id);
      while (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value as string);
      buckets.set(id, out.bucket);
      return out.result;
    },
    clear: () => buckets.clear(),
    get size() {
      return buckets.size;
    },
  };
}

/** A hint: a failed prune is left to the next one. */
function pruneShared(shared: SharedBucketStore, nowMs: number, idleMs: number): void {
  try {
    shared.prune(nowMs, idleMs)?.catch(() => {});
  } catch {
    // the next prune retries
  }
}

function validateRules(rules: Record<string, RateLimitRule>): Map<string, RateLimitRule> {
  const out = new Map<string, RateLimitRule>();
  for (const [name, rule] of Object.entries(rules)) {
    if (!(rule.limit >= 1 && rule.windowSeconds > 0)) throw new Error(`invalid rate limit rule "${name}"`);
    out.set(name, { limit: Math.floor(rule.limit), windowSeconds: rule.windowSeconds });
  }
  return out;
}

export function createRateLimiter(options?: RateLimiterOptions & { shared?: undefined }): SyncRateLimiter;
export function createRateLimiter(options: RateLimiterOptions): RateLimiter;
export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  let rules = validateRules(options.rules ?? DEFAULT_AUTH_RATE_LIMITS);
  const clock = options.clock ?? Date.now;
  const buckets = options.store ?? createMemoryBucketStore(options.maxKeys);
  const shared = options.shared;
  let enabled = true;
  let checks = 0;
  /** A bucket untouched for the longest window is full again: the same as never seen. */
  const longestWindowMs = (): number => Math.max(0, ...[...rules.values()].map((r) => r.windowSeconds * 1000));

  return {
    check(key, ruleName) {
      const rule = rules.get(ruleName);
      if (!rule) throw new Error(`unknown rate limit rule "${ruleName}"`);
      if (!enabled && !ALWAYS_ON_RATE_LIMITS.has(ruleName)) return { ok: true };
      const nowMs = clock();
      const perMs = rule.limit / (rule.windowSeconds * 1000);
      if (shared) {
        const sharedId = `${ruleName}\u0000${rule.limit}/${rule.windowSeconds}\u0000${key.slice(0, MAX_KEY_LENGTH)}`;
        if (++checks % PRUNE_EVERY_CHECKS === 0) pruneShared(shared, nowMs, longestWindowMs());
        return shared.take(sharedId, nowMs, rule);
      }
      const id = `${ruleName}\u0000${key.slice(0, MAX_KEY_LENGTH)}`;
      if (++checks % PRUNE_EVERY_CHECKS === 0) buckets.prune?.(nowMs, longestWindowMs());
      return buckets.update<RateLimitResult>(id, nowMs, (stored) => {
        const bucket = stored ? { ...stored } : { tokens: rule.limit, updatedMs: nowMs };
        bucket.tokens = Math.min(rule.limit, bucket.tokens + Math.max(0, nowMs - bucket.updatedMs) * perMs);
        bucket.updatedMs = Math.max(bucket.updatedMs, nowMs);
        if (bucket.tokens >= 1 - EPSILON) {
          bucket.tokens = Math.max(0, bucket.tokens - 1);
          return { bucket, result: { ok: true } };
        }
        return { bucket, result: refused(bucket.tokens, perMs) };
      });
    },
    setRules(next) {
      rules = validateRules(next);
    },
    setEnabled(next) {
      enabled = next;
    },
    reset: () => buckets.clear(),
    get size() {
      return buckets.size;
    },
  };
}

/** A 429 that carries the seconds to wait; http/ sends them as the `Retry-After` header. */
export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number, message = 'Too Many Requests.') {
    super('rate_limited', message);
    this.name = 'RateLimitedError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * Checks every (key, rule) pair in order and throws RateLimitedError at the first one exhausted;
 * synchronous on a BucketStore, a promise (rejecting with it) on a SharedBucketStore.
 */
export function enforceRateLimits(limiter: SyncRateLimiter, checks: ReadonlyArray<readonly [key: string, ruleName: string]>): void;
export function enforceRateLimits(limiter: RateLimiter, checks: ReadonlyArray<readonly [key: string, ruleName: string]>, from?: number): void | Promise<void>;
export function enforceRateLimits(limiter: RateLimiter, checks: ReadonlyArray<readonly [key: string, ruleName: string]>, from = 0): void | Promise<void> {
  for (let i = from; i < checks.length; i++) {
    const [key, ruleName] = checks[i]!;
    const result = limiter.check(key, ruleName);
    if (result instanceof Promise) {
      return result.then((r) => {
        if (!r.ok) throw new RateLimitedError(r.retryAfterSeconds);
        return enforceRateLimits(limiter, checks, i + 1);
      });
    }
    if (!result.ok) throw new RateLimitedError(result.retryAfterSeconds);
  }
}
