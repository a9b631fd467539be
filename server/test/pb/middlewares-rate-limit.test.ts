/**
 * PocketBase's `apis/middlewares_rate_limit_test.go` over Hearth's rate-limit settings: the same
 * rules (PocketBase labels: a `/rate/` prefix, exact paths, a `POST /rate/b` method label, the
 * `@guest` / `@auth` audiences) on the same custom routes (server/test/fixtures/hooks-limits.ts).
 * PocketBase waits out one-second windows between its steps; here each step group comes from its
 * own client address (X-Forwarded-For from a trusted proxy) and the windows are a minute, so no
 * step depends on how fast the machine is. One rule keeps a one-second window to show that a
 * window refills (waiting longer than it can only refill more).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../harness.ts';

const LIGHT_SCRYPT = { N: 2 ** 12, r: 8, p: 1 };
const RULES = [
  { label: '/rate/', maxRequests: 2, duration: 60 },
  { label: '/rate/b', maxRequests: 3, duration: 60 },
  { label: 'POST /rate/b', maxRequests: 1, duration: 60 },
  { label: '/rate/guest', maxRequests: 1, duration: 60, audience: '@guest' },
  { label: '/rate/auth', maxRequests: 1, duration: 60, audience: '@auth' },
  { label: '/rate', maxRequests: 1, duration: 60 },
  { label: '/rate/reset', maxRequests: 1, duration: 1 },
];

let t: TestServer;
let hooksDir: string;
let userToken: string;

beforeAll(async () => {
  hooksDir = mkdtempSync(join(tmpdir(), 'hearth-rate-hooks-'));
  copyFileSync(join(import.meta.dirname, '../fixtures/hooks-limits.ts'), join(hooksDir, 'routes.ts'));
  t = await startServer({ hooksDir, passwordParams: LIGHT_SCRYPT, trustedProxies: ['127.0.0.1', '::1', '::ffff:127.0.0.1'] });
  await t.api('POST', '/api/collections/users/records', { email: 'test@example.com', password: '1234567890', passwordConfirm: '1234567890' }, t.adminToken);
  userToken = (await t.api('POST', '/api/collections/users/auth-with-password', { identity: 'test@example.com', password: '1234567890' })).body.token;
  await setLimits({ enabled: true, rules: RULES, excludedIPs: [] });
});
afterAll(async () => {
  await t?.close();
  rmSync(hooksDir, { recursive: true, force: true });
});

async function setLimits(rateLimits: Record<string, unknown>): Promise<void> {
  const res = await t.api('PATCH', '/api/settings', { rateLimits }, t.adminToken);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** Status codes of `count` GETs of `path` from client address `ip`, as `auth` (a token) or a guest. */
async function statuses(path: string, ip: string, count: number, auth?: string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const headers: Record<string, string> = { 'x-forwarded-for': ip };
    if (auth) headers.authorization = auth;
    const res = await fetch(t.url + path, { headers });
    await res.text();
    out.push(res.status);
  }
  return out;
}

describe('TestDefaultRateLimitMiddleware', () => {
  it('a route no rule names is not limited', async () => {
    expect(await statuses('/norate', '10.1.0.1', 5)).toEqual([200, 200, 200, 200, 200]);
  });

  it('the /rate/ prefix rule limits /rate/a (2 per window)', async () => {
    expect(await statuses('/rate/a', '10.1.0.2', 4)).toEqual([200, 200, 429, 429]);
  });

  it('the exact /rate/b rule wins over the prefix; the POST /rate/b rule does not apply to GET', async () => {
    expect(await statuses('/rate/b', '10.1.0.3', 4)).toEqual([200, 200, 200, 429]);
  });

  it('"auth" rule with a guest falls back to the /rate/ rule', async () => {
    expect(await statuses('/rate/auth', '10.1.0.4', 4)).toEqual([200, 200, 429, 429]);
  });

  it('"auth" rule with a regular user matches the /rate/auth rule', async () => {
    expect(await statuses('/rate/auth', '10.1.0.5', 3, userToken)).toEqual([200, 429, 429]);
  });

  it('"guest" rule with a guest matches the /rate/guest rule', async () => {
    expect(await statuses('/rate/guest', '10.1.0.6', 3)).toEqual([200, 429, 429]);
  });

  it('"guest" rule with a regular user falls back to the /rate/ rule', async () => {
    expect(await statuses('/rate/guest', '10.1.0.7', 4, userToken)).toEqual([200, 200, 429, 429]);
  });

  it('a used-up window refills after its duration', async () => {
    expect(await statuses('/rate/reset', '10.1.0.8', 2)).toEqual([200, 429]);
    await new Promise((r) => setTimeout(r, 1200));
    expect(await statuses('/rate/reset', '10.1.0.8', 2)).toEqual([200, 429]);
  });

  it('a limited request is PocketBase\'s 429 error body', async () => {
    await statuses('/rate/guest', '10.1.0.9', 1);
    const res = await fetch(t.url + '/rate/guest', { headers: { 'x-forwarded-for': '10.1.0.9' } });
    expect(res.status).toBe(429);
    const body = await res.json();
    expect(body).toMatchObject({ status: 429, data: {} });
    expect(typeof body.message).toBe('string');
  });
});

describe('TestDefaultRateLimitMiddlewareSkipChecks', () => {
  it('base check', async () => {
    expect(await statuses('/rate', '10.2.0.1', 3)).toEqual([200, 429, 429]);
  });

  it('disabled rate limiter', async () => {
    await setLimits({ enabled: false });
    try {
      expect(await statuses('/rate', '10.2.0.2', 3)).toEqual([200, 200, 200]);
    } finally {
      await setLimits({ enabled: true });
    }
  });

  it('authenticated as superuser', async () => {
    expect(await statuses('/rate', '10.2.0.3', 3, t.adminToken)).toEqual([200, 200, 200]);
  });

  it('excludedIPs (different)', async () => {
    await setLimits({ excludedIPs: ['10.0.0.0'] });
    expect(await statuses('/rate', '127.0.0.1', 3)).toEqual([200, 429, 429]);
  });

  it('excludedIPs (match)', async () => {
    await setLimits({ excludedIPs: ['127.0.0.1'] });
    expect(await statuses('/rate', '127.0.0.1', 3)).toEqual([200, 200, 200]);
  });
});
