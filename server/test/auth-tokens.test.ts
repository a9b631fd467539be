/**
 * Tampered, expired and revoked tokens, on every kind of endpoint: 401 where auth is required,
 * anonymous where anonymous access is allowed, never a 500. Tokens are forged honestly — signed
 * with the real collection secret and tokenKey read from the database where that is the point.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from '../src/auth/index.ts';
import { startServer, type TestServer } from './harness.ts';

let t: TestServer;
let userId = '';
let valid = '';
const tokens: Record<string, string> = {};
const PASSWORD = 'password 12345';
/** The subject is tokens, not hashing: a light scrypt cost keeps the many sign-ins below cheap. */
const LIGHT_SCRYPT = { N: 2 ** 12, r: 8, p: 1 };

function b64(obj: unknown): string {
  return Buffer.from(JSON.stringify(obj)).toString('base64url');
}

async function signFor(claims: Record<string, unknown>, tokenKey?: string): Promise<string> {
  const users = t.server.registry.get('users');
  const row = (await t.server.engine.get<{ tokenKey: string }>('SELECT "tokenKey" FROM users WHERE id = ?', [userId]))!;
  return signJwt(claims, String(users.auth!.tokenSecret) + (tokenKey ?? row.tokenKey));
}

async function signIn(): Promise<string> {
  const res = await t.api('POST', '/api/collections/users/auth-with-password', { identity: 'tok@example.com', password: PASSWORD });
  expect(res.status).toBe(200);
  return res.body.token;
}

beforeAll(async () => {
  t = await startServer({ passwordParams: LIGHT_SCRYPT });
  // The subject here is tokens, not throttling: many sign-ins from one address follow.
  expect((await t.api('PATCH', '/api/settings', { rateLimits: { enabled: false } }, t.adminToken)).status).toBe(200);
  await t.api('POST', '/api/collections', { name: 'public_notes', fields: [{ name: 'text', type: 'text' }], listRule: '', viewRule: '' }, t.adminToken);
  await t.api('POST', '/api/collections/public_notes/records', { text: 'hello' }, t.adminToken);
  const created = await t.api('POST', '/api/collections/users/records', { email: 'tok@example.com', password: PASSWORD, passwordConfirm: PASSWORD });
  userId = created.body.id;
  valid = await signIn();
  const [head, body, sig] = valid.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
  const users = t.server.registry.get('users');

  tokens['garbage'] = 'not-a-token';
  tokens['empty bearer'] = 'Bearer ';
  tokens['huge'] = 'a'.repeat(10_000); // over MAX_JWT_LENGTH, under the header limit
  tokens['flipped signature'] = `${head}.${body}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
  tokens['edited payload'] = `${head}.${b64({ ...claims, id: 'someoneelse1234' })}.${sig}`;
  tokens['alg none'] = `${b64({ alg: 'none', typ: 'JWT' })}.${body}.`;
  tokens['bad json'] = `${b64({ alg: 'HS256' })}.${Buffer.from('{nope').toString('base64url')}.${sig}`;
  tokens['expired'] = await signFor({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 });
  tokens['wrong tokenKey'] = await signFor(claims, 'x'.repeat(50));
  tokens['unknown session'] = await signFor({ ...claims, sid: 'nosuchsession12' });
  tokens['other collection'] = signJwt({ ...claims, collectionId: t.server.registry.get('_superusers').id }, String(users.auth!.tokenSecret));
  tokens['not an auth token'] = await signFor({ ...claims, type: 'passwordReset' });

  // Revoked: each signed in, then ended in a different way.
  tokens['signed out'] = await signIn();
  expect((await t.api('POST', '/api/collections/users/auth-sign-out', undefined, tokens['signed out'])).status).toBe(204);
  tokens['session expired'] = await signIn();
  const sid = JSON.parse(Buffer.from(tokens['session expired'].split('.')[1]!, 'base64url').toString()).sid as string;
  await t.server.engine.run('UPDATE "_sessions" SET "expires" = ? WHERE "id" = ?', ['2000-01-01 00:00:00.000Z', sid]);
  t.server.sessions.forgetRecord(users.id, userId);
});
afterAll(() => t.close());

const ME = () => `/api/collections/users/records/${userId}`;

/** Endpoints that need a caller: every bad token must give 401. */
const REQUIRES_AUTH: Array<[string, string, () => string, unknown?]> = [
  ['auth-refresh', 'POST', () => '/api/collections/users/auth-refresh'],
  ['request-email-change', 'POST', () => '/api/collections/users/request-email-change', { newEmail: 'x@example.com' }],
  ['list sessions', 'GET', () => '/api/collections/users/auth-sessions'],
  ['sign out', 'POST', () => '/api/collections/users/auth-sign-out'],
  ['sign out everywhere', 'POST', () => '/api/collections/users/auth-sign-out-everywhere'],
  ['impersonate', 'POST', () => `/api/collections/users/impersonate/${userId}`],
  ['settings', 'GET', () => '/api/settings'],
  ['collections', 'GET', () => '/api/collections'],
];

/** Endpoints open to anonymous callers: a bad token is simply anonymous. */
const ALLOWS_ANONYMOUS: Array<[string, string, () => string, unknown, (body: any) => void]> = [
  ['public list', 'GET', () => '/api/collections/public_notes/records', undefined, (b) => expect(b.items).toHaveLength(1)],
  ['own-only list', 'GET', () => '/api/collections/users/records', undefined, (b) => expect(b.items).toHaveLength(0)],
  ['auth-methods', 'GET', () => '/api/collections/users/auth-methods', undefined, (b) => expect(b.password.enabled).toBe(true)],
  ['sign in', 'POST', () => '/api/collections/users/auth-with-password', { identity: 'tok@example.com', password: PASSWORD }, (b) => expect(b.token).toBeTruthy()],
];

describe('bad tokens', () => {
  const names = () => Object.keys(tokens);

  it('are refused with 401 where auth is required, never a 500', async () => {
    for (const name of names()) {
      for (const [what, method, path, body] of REQUIRES_AUTH) {
        const res = await t.api(method, path(), body, tokens[name]);
        expect(res.status, `${name} → ${what}: ${JSON.stringify(res.body)}`).toBe(401);
        expect(res.body).toMatchObject({ status: 401, data: {} });
      }
    }
  });

  it('are anonymous where anonymous access is allowed', async () => {
    for (const name of names()) {
      for (const [what, method, path, body, check] of ALLOWS_ANONYMOUS) {
        const res = await t.api(method, path(), body, tokens[name]);
        expect(res.status, `${name} → ${what}: ${JSON.stringify(res.body)}`).toBe(200);
        check(res.body);
      }
      expect((await t.api('GET', ME(), undefined, tokens[name])).status, name).toBe(404);
    }
  });

  it('the valid token still works (control)', async () => {
    expect((await t.api('GET', ME(), undefined, valid)).status).toBe(200);
    expect((await t.api('GET', '/api/collections/users/auth-sessions', undefined, valid)).status).toBe(200);
    expect((await t.api('POST', '/api/collections/users/auth-refresh', undefined, valid)).status).toBe(200);
  });

  it('a user token on superuser-only endpoints is 403, not 401', async () => {
    expect((await t.api('GET', '/api/settings', undefined, valid)).status).toBe(403);
    expect((await t.api('POST', `/api/collections/users/impersonate/${userId}`, undefined, valid)).status).toBe(403);
  });
});
