import { describe, expect, it } from 'vitest';
import { createRateLimiter, enforceRateLimits, RateLimitedError } from './rate-limit.ts';

const rules = { login: { limit: 3, windowSeconds: 60 }, other: { limit: 1, windowSeconds: 10 } };

function setup(maxKeys?: number) {
  let now = 1_000_000;
  const limiter = createRateLimiter({ rules, clock: () => now, ...(maxKeys ? { maxKeys } : {}) });
  return { limiter, advance: (ms: number) => (now += ms) };
}

describe('rate limiter', () => {
  it('blocks after the limit and reports when to retry', () => {
    const { limiter, advance } = setup();
    for (let i = 0; i < 3; i++) expect(limiter.check('1.2.3.4', 'login')).toEqual({ ok: true });
    expect(limiter.check('1.2.3.4', 'login')).toEqual({ ok: false, retryAfterSeconds: 20 });
    advance(19_000);
    expect(limiter.check('1.2.3.4', 'login')).toEqual({ ok: false, retryAfterSeconds: 1 });
    advance(1_000);
    expect(limiter.check('1.2.3.4', 'login')).toEqual({ ok: true });
    expect(limiter.check('1.2.3.4', 'login').ok).toBe(false);
  });

  it('keeps keys and rules independent', () => {
    const { limiter } = setup();
    for (let i = 0; i < 3; i++) limiter.check('a', 'login');
    expect(limiter.check('a', 'login').ok).toBe(false);
    expect(limiter.check('b', 'login').ok).toBe(true);
    expect(limiter.check('a', 'other').ok).toBe(true);
    expect(() => limiter.check('a', 'nope')).toThrow(/unknown rate limit rule/);
  });

  it('bounds memory by evicting the least recently used key', () => {
    const { limiter } = setup(2);
    for (let i = 0; i < 3; i++) limiter.check('a', 'login');
    limiter.check('b', 'login');
    limiter.check('c', 'login');
    expect(limiter.size).toBe(2);
    expect(limiter.check('a', 'login').ok).toBe(true); // evicted, so forgotten
  });

  it('throws a 429 carrying Retry-After through enforceRateLimits', () => {
    const { limiter } = setup();
    enforceRateLimits(limiter, [['k', 'other']]);
    try {
      enforceRateLimits(limiter, [['k', 'other']]);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(RateLimitedError);
      expect(err).toMatchObject({ code: 'rate_limited', message: 'Too Many Requests.', retryAfterSeconds: 10, data: {} });
    }
  });
});
