/**
 * In-memory rate limiting for auth endpoints: one token bucket per (rule, key). A rule
 * `{ limit, windowSeconds }` allows a burst of `limit` requests and refills the bucket
 * completely over `windowSeconds` (so the sustained rate is limit/window). Memory is bounded:
 * past `maxKeys` the least recently touched bucket is evicted — almost always one that had
 * refilled already, which is the same as never having been seen.
 * Single process only; a multi-node deployment would need a shared store.
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
  /** impersonate, session listing and sign-out. */
  'auth-session:ip': { limit: 60, windowSeconds: 60 },
});

/** ~150 bytes per bucket: 100k keys ≈ 15 MB in the worst case. */
export const DEFAULT_RATE_LIMIT_MAX_KEYS = 100_000;
/** Keys are IPs and identities; longer ones are clipped so a key cannot be used to eat memory. */
const MAX_KEY_LENGTH = 320;
/** Refill is fractional; this absorbs float rounding so "exactly refilled" counts as refilled. */
const EPSILON = 1e-9;

export interface RateLimiter {
  /** Consumes one request from the bucket of (ruleName, key). Unknown rule names throw. */
  check(key: string, ruleName: string): RateLimitResult;
  /** Replaces the rules (e.g. after settings change); existing buckets are kept. */
  setRules(rules: Record<string, RateLimitRule>): void;
  /** A disabled limiter admits everything (settings → rateLimits.enabled = false). */
  setEnabled(enabled: boolean): void;
  reset(): void;
  readonly size: number;
}

export interface RateLimiterOptions {
  rules?: Record<string, RateLimitRule>;
  maxKeys?: number;
  clock?: () => number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

function validateRules(rules: Record<string, RateLimitRule>): Map<string, RateLimitRule> {
  const out = new Map<string, RateLimitRule>();
  for (const [name, rule] of Object.entries(rules)) {
    if (!(rule.limit >= 1 && rule.windowSeconds > 0)) throw new Error(`invalid rate limit rule "${name}"`);
    out.set(name, { limit: Math.floor(rule.limit), windowSeconds: rule.windowSeconds });
  }
  return out;
}

export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  let rules = validateRules(options.rules ?? DEFAULT_AUTH_RATE_LIMITS);
  const maxKeys = options.maxKeys ?? DEFAULT_RATE_LIMIT_MAX_KEYS;
  const clock = options.clock ?? Date.now;
  const buckets = new Map<string, Bucket>();
  let enabled = true;

  return {
    check(key, ruleName) {
      const rule = rules.get(ruleName);
      if (!rule) throw new Error(`unknown rate limit rule "${ruleName}"`);
      if (!enabled) return { ok: true };
      const nowMs = clock();
      const perMs = rule.limit / (rule.windowSeconds * 1000);
      const id = `${ruleName}\u0000${key.slice(0, MAX_KEY_LENGTH)}`;
      const bucket = buckets.get(id) ?? { tokens: rule.limit, updatedMs: nowMs };
      bucket.tokens = Math.min(rule.limit, bucket.tokens + Math.max(0, nowMs - bucket.updatedMs) * perMs);
      bucket.updatedMs = nowMs;
      // Re-insert so Map order is least-recently-touched first.
      buckets.delete(id);
      while (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value as string);
      buckets.set(id, bucket);
      if (bucket.tokens >= 1 - EPSILON) {
        bucket.tokens = Math.max(0, bucket.tokens - 1);
        return { ok: true };
      }
      const waitSeconds = (1 - bucket.tokens) / perMs / 1000;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitSeconds - EPSILON)) };
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

/** Checks every (key, rule) pair in order and throws RateLimitedError at the first one exhausted. */
export function enforceRateLimits(limiter: RateLimiter, checks: ReadonlyArray<readonly [key: string, ruleName: string]>): void {
  for (const [key, ruleName] of checks) {
    const result = limiter.check(key, ruleName);
    if (!result.ok) throw new RateLimitedError(result.retryAfterSeconds);
  }
}
