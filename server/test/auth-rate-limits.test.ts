/**
 * Abuse limits over HTTP. Two client addresses are simulated honestly: the server trusts
 * `X-Forwarded-For` only because this test configures loopback as a trusted proxy
 * (`trustedProxies: ['127.0.0.1']`); without that the header is ignored (see the last test).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './harness.ts';

let t: TestServer;
const PASSWORD = 'the right password';

async function from(ip: string, method: string, path: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-forwarded-for': ip };
  if (token) headers.authorization = token;
  const res = await fetch(t.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, retryAfter: res.headers.get('retry-after') };
}

beforeAll(async () => {
  t = await startServer({ trustedProxies: ['127.0.0.1'] });
  await t.api('POST', '/api/collections/users/records', { email: 'victim@example.com', password: PASSWORD, passwordConfirm: PASSWORD });
  await t.api('PATCH', '/api/collections/users', { otp: { enabled: true } }, t.adminToken);
});
afterAll(() => t.close());

describe('password guessing', () => {
  it('60 wrong passwords meet 429 long before the end; the owner from another address still gets in', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      const res = await from('203.0.113.7', 'POST', '/api/collections/users/auth-with-password', { identity: 'victim@example.com', password: `guess ${i}` });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(Number(res.retryAfter)).toBeGreaterThan(0);
        expect(res.body).toMatchObject({ status: 429, message: 'Too Many Requests.' });
      }
    }
    const first = statuses.indexOf(429);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(10);
    expect(statuses.slice(0, first).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(first).every((s) => s === 429)).toBe(true);
    // Even the right password is throttled from the attacking address...
    expect((await from('203.0.113.7', 'POST', '/api/collections/users/auth-with-password', { identity: 'victim@example.com', password: PASSWORD })).status).toBe(429);
    // ...but not for the owner elsewhere.
    const owner = await from('198.51.100.9', 'POST', '/api/collections/users/auth-with-password', { identity: 'victim@example.com', password: PASSWORD });
    expect(owner.status).toBe(200);
    expect(owner.body.token).toBeTruthy();
  });
});

describe('every auth endpoint is limited, configurably', () => {
  // One address per endpoint; the limits are lowered through settings to keep the test short.
  const ENDPOINTS: Array<[string, string, string, unknown, boolean?]> = [
    ['auth-with-password', 'POST', '/api/collections/users/auth-with-password', { identity: 'nobody@example.com', password: 'x' }],
    ['auth-refresh', 'POST', '/api/collections/users/auth-refresh', undefined, true],
    ['auth-methods', 'GET', '/api/collections/users/auth-methods', undefined],
    ['request-otp', 'POST', '/api/collections/users/request-otp', { email: 'someone@example.com' }],
    ['auth-with-otp', 'POST', '/api/collections/users/auth-with-otp', { otpId: 'nosuchotp000000', password: '123456' }],
    ['request-verification', 'POST', '/api/collections/users/request-verification', { email: 'a@example.com' }],
    ['confirm-verification', 'POST', '/api/collections/users/confirm-verification', { token: 'x.y.z' }],
    ['request-password-reset', 'POST', '/api/collections/users/request-password-reset', { email: 'a@example.com' }],
    ['confirm-password-reset', 'POST', '/api/collections/users/confirm-password-reset', { token: 'x.y.z', password: 'long enough 1', passwordConfirm: 'long enough 1' }],
    ['request-email-change', 'POST', '/api/collections/users/request-email-change', { newEmail: 'new@example.com' }, true],
    ['confirm-email-change', 'POST', '/api/collections/users/confirm-email-change', { token: 'x.y.z', password: 'whatever' }],
    ['auth-with-oauth2', 'POST', '/api/collections/users/auth-with-oauth2', { provider: 'oidc', code: 'c' }],
    ['auth-sessions', 'GET', '/api/collections/users/auth-sessions', undefined, true],
  ];
  let token = '';

  beforeAll(async () => {
    const limited = ['auth-with-password:ip', 'auth-refresh:ip', 'auth-methods:ip', 'auth-email:ip', 'auth-confirm:ip', 'auth-session:ip'];
    const res = await t.api('PATCH', '/api/settings', { rateLimits: { rules: limited.map((label) => ({ label, maxRequests: 3, duration: 3600 })) } }, t.adminToken);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.rateLimits.rules).toEqual(expect.arrayContaining([{ label: 'auth-methods:ip', audience: '', maxRequests: 3, duration: 3600 }]));
    token = (await from('192.0.2.250', 'POST', '/api/collections/users/auth-with-password', { identity: 'victim@example.com', password: PASSWORD })).body.token;
  });

  it.each(ENDPOINTS.map(([name, method, path, body, needsToken], i) => [name, method, path, body, needsToken === true, i] as const))('%s answers 429 with Retry-After past its limit', async (_name, method, path, body, needsToken, i) => {
    const ip = `192.0.2.${i + 1}`;
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let n = 0; n < 5; n++) {
      const res = await from(ip, method, path, body, needsToken ? token : undefined);
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.retryAfter;
    }
    expect(statuses.slice(0, 3)).not.toContain(429);
    expect(statuses.slice(3)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('can be switched off in settings (and on again)', async () => {
    await t.api('PATCH', '/api/settings', { rateLimits: { enabled: false } }, t.adminToken);
    for (let n = 0; n < 6; n++) expect((await from('192.0.2.200', 'GET', '/api/collections/users/auth-methods')).status).toBe(200);
    await t.api('PATCH', '/api/settings', { rateLimits: { enabled: true } }, t.adminToken);
    const after = [];
    for (let n = 0; n < 4; n++) after.push((await from('192.0.2.201', 'GET', '/api/collections/users/auth-methods')).status);
    expect(after).toEqual([200, 200, 200, 429]);
  });
});

describe('client address', () => {
  it('ignores X-Forwarded-For from an untrusted socket', async () => {
    const plain = await startServer(); // no trusted proxies
    try {
      await plain.api('PATCH', '/api/settings', { rateLimits: { rules: [{ label: 'auth-methods:ip', maxRequests: 2, duration: 3600 }] } }, plain.adminToken);
      const statuses = [];
      for (let n = 0; n < 3; n++) {
        const res = await fetch(`${plain.url}/api/collections/users/auth-methods`, { headers: { 'x-forwarded-for': `198.18.0.${n}` } });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 200, 429]); // three "addresses", one bucket: the socket's
    } finally {
      await plain.close();
    }
  });
});
