/**
 * PocketBase's `apis/middlewares_test.go` scenarios, as custom routes of a hooks file
 * (server/test/fixtures/hooks-middlewares.ts) guarded by the hooks API's middlewares:
 * requireGuestOnly, requireAuth(...collections), requireSuperuser, requireSuperuserOrOwnerAuth(param),
 * requireSameCollectionContextAuth(param), and panic recovery (a handler or middleware that throws
 * something other than an ApiError is PocketBase's generic 500). PocketBase's expired tokens are
 * tokens whose signature does not verify (Hearth's secrets cannot sign a past `exp` from outside);
 * both make the caller a guest. TestSuperuserIPsWhitelist: PocketBase fakes the client address
 * with a trusted-proxy header; here the requests really come from 127.0.0.1 or 127.0.0.2.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { otherLoopbackUsable, requestFrom } from '../from-address.ts';
import { startServer, type TestServer } from '../harness.ts';
import { runScenarios, target, type Scenario, type ScenarioTarget } from './scenario.ts';

const LIGHT_SCRYPT = { N: 2 ** 12, r: 8, p: 1 };
const USER_ID = '4q1xlclmfloku33';
const USERS_ID = '_pb_users_auth_';

let t: TestServer;
let hooksDir: string;
let shared: ScenarioTarget;

/** The same token with its signature's last characters changed: it no longer verifies. */
const broken = (token: string): string => token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');

beforeAll(async () => {
  hooksDir = mkdtempSync(join(tmpdir(), 'hearth-mw-hooks-'));
  copyFileSync(join(import.meta.dirname, '../fixtures/hooks-middlewares.ts'), join(hooksDir, 'routes.ts'));
  t = await startServer({ hooksDir, passwordParams: LIGHT_SCRYPT });
  const users = await t.api('GET', '/api/collections/users', undefined, t.adminToken);
  if (users.body.id !== USERS_ID) throw new Error(`users collection id: ${users.body.id}`);
  for (const [id, email] of [[USER_ID, 'test@example.com'], ['oap640cot4yru2s', 'test2@example.com']]) {
    await t.api('POST', '/api/collections/users/records', { id, email, password: '1234567890', passwordConfirm: '1234567890' }, t.adminToken);
  }
  const user = await t.api('POST', '/api/collections/users/auth-with-password', { identity: 'test@example.com', password: '1234567890' });
  const staticUser = await t.api('POST', `/api/collections/users/impersonate/${USER_ID}`, {}, t.adminToken);
  const fileToken = await t.api('POST', '/api/files/token', {}, t.adminToken);
  shared = target(t.url, {
    user: user.body.token,
    userStatic: staticUser.body.token,
    userExpired: broken(user.body.token),
    userBearer: `BeArEr ${user.body.token}`,
    superuser: t.adminToken,
    superuserExpired: broken(t.adminToken),
    superuserFileToken: fileToken.body.token,
  });
});
afterAll(async () => {
  await t?.close();
  rmSync(hooksDir, { recursive: true, force: true });
});

const get = (url: string, rest: Omit<Scenario, 'method' | 'url'>): Scenario => ({ method: 'GET', url, ...rest });
const DENIED = ['"data":{}'];
const OK = ['test123'];

describe('TestPanicRecover', () => {
  runScenarios(
    [
      get('/my/panic-route/test', { name: 'panic from route', status: 500, expect: ['"data":{}', 'Something went wrong while processing your request.'], notExpect: ['123', 'Error', ' at '] }),
      get('/my/panic-middleware/test', { name: 'panic from middleware', status: 500, expect: ['"data":{}', 'Something went wrong while processing your request.'], notExpect: ['123', ' at '] }),
    ],
    () => shared,
  );
});

describe('TestRequireGuestOnly', () => {
  const url = '/my/guest-only/test';
  runScenarios(
    [
      get(url, { name: 'valid regular user token', auth: 'user', status: 400, expect: DENIED }),
      get(url, { name: 'valid superuser auth token', auth: 'superuser', status: 400, expect: DENIED }),
      get(url, { name: 'expired/invalid token', auth: 'userExpired', status: 200, expect: OK }),
      get(url, { name: 'guest', status: 200, expect: OK }),
    ],
    () => shared,
  );
});

describe('TestRequireAuth', () => {
  runScenarios(
    [
      get('/my/auth/test', { name: 'guest', status: 401, expect: DENIED }),
      get('/my/auth/test', { name: 'expired token', auth: 'userExpired', status: 401, expect: DENIED }),
      get('/my/auth/test', { name: 'invalid token', auth: 'superuserFileToken', status: 401, expect: DENIED }),
      get('/my/auth/test', { name: 'valid record auth token with no collection restrictions', auth: 'user', status: 200, expect: OK }),
      get('/my/auth/test', { name: 'valid record static auth token', auth: 'userStatic', status: 200, expect: OK }),
      get('/my/auth-users-demo1/test', { name: 'valid record auth token with collection not in the restricted list', auth: 'superuser', status: 403, expect: DENIED }),
      get('/my/auth-users-superusers/test', { name: 'valid record auth token with collection in the restricted list', auth: 'superuser', status: 200, expect: OK }),
      get('/my/auth/test', { name: 'valid record auth token with Bearer case-insensitive prefix', auth: 'userBearer', status: 200, expect: OK }),
    ],
    () => shared,
  );
});

describe('TestRequireSuperuserAuth', () => {
  const url = '/my/superuser/test';
  runScenarios(
    [
      get(url, { name: 'guest', status: 401, expect: DENIED }),
      get(url, { name: 'expired/invalid token', auth: 'superuserExpired', status: 401, expect: DENIED }),
      get(url, { name: 'valid regular user auth token', auth: 'user', status: 403, expect: DENIED }),
      get(url, { name: 'valid superuser auth token', auth: 'superuser', status: 200, expect: OK }),
    ],
    () => shared,
  );
});

describe('TestRequireSuperuserOrOwnerAuth', () => {
  runScenarios(
    [
      get(`/my/owner/test/${USER_ID}`, { name: 'guest', status: 401, expect: DENIED }),
      get(`/my/owner/test/${USER_ID}`, { name: 'expired/invalid token', auth: 'superuserExpired', status: 401, expect: DENIED }),
      get('/my/owner/test/oap640cot4yru2s', { name: 'valid record auth token (different user)', auth: 'user', status: 403, expect: DENIED }),
      get(`/my/owner/test/${USER_ID}`, { name: 'valid record auth token (owner)', auth: 'user', status: 200, expect: OK }),
      get(`/my/owner-param-mismatch/test/${USER_ID}`, { name: 'valid record auth token (owner + non-matching custom owner param)', auth: 'user', status: 403, expect: DENIED }),
      get(`/my/owner-param/test/${USER_ID}`, { name: 'valid record auth token (owner + matching custom owner param)', auth: 'user', status: 200, expect: OK }),
      get(`/my/owner/test/${USER_ID}`, { name: 'valid superuser auth token', auth: 'superuser', status: 200, expect: OK }),
    ],
    () => shared,
  );
});

describe('TestRequireSameCollectionContextAuth', () => {
  runScenarios(
    [
      get(`/my/same-collection/test/${USERS_ID}`, { name: 'guest', status: 401, expect: DENIED }),
      get(`/my/same-collection/test/${USERS_ID}`, { name: 'expired/invalid token', auth: 'userExpired', status: 401, expect: DENIED }),
      get('/my/same-collection/test/clients', { name: 'valid record auth token (different collection)', auth: 'user', status: 403, expect: DENIED }),
      get(`/my/same-collection/test/${USERS_ID}`, { name: 'valid record auth token (same collection)', auth: 'user', status: 200, expect: OK }),
      get(`/my/same-collection-owner/test/${USERS_ID}`, { name: 'valid record auth token (non-matching/missing collection param)', auth: 'user', status: 403, expect: DENIED }),
      get(`/my/same-collection-owner-param/test/${USERS_ID}`, { name: 'valid record auth token (matching custom collection param)', auth: 'user', status: 403, expect: DENIED }),
      get(`/my/same-collection/test/${USERS_ID}`, { name: 'superuser no exception check', auth: 'superuser', status: 403, expect: DENIED }),
      // Hearth: the collection may be named as well as given by id.
      get('/my/same-collection/test/users', { name: 'valid record auth token (same collection, by name)', auth: 'user', status: 200, expect: OK }),
    ],
    () => shared,
  );
});

describe('TestSuperuserIPsWhitelist', () => {
  const setList = async (ips: string[]) => {
    const res = await t.api('PATCH', '/api/settings', { superuserIPs: ips }, t.adminToken);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  // Every list keeps 127.0.0.1, where the fixture's own superuser requests (setting the list) come from.
  const cases: Array<{ name: string; list: string[]; from: string; auth?: 'user' | 'superuser'; status: number; expect: string }> = [
    { name: 'guest with non-matching IP', list: ['127.0.0.1'], from: '127.0.0.2', status: 200, expect: 'test123' },
    { name: 'regular user with non-matching IP', list: ['127.0.0.1'], from: '127.0.0.2', auth: 'user', status: 200, expect: 'test123' },
    { name: 'superuser with non-matching IP', list: ['127.0.0.1'], from: '127.0.0.2', auth: 'superuser', status: 403, expect: '"data":{}' },
    { name: 'superuser with matching IP', list: ['10.0.0.0/8', '127.0.0.1', '127.0.0.2'], from: '127.0.0.2', auth: 'superuser', status: 200, expect: 'test123' },
    { name: 'superuser with no whitelisted IPs', list: [], from: '127.0.0.2', auth: 'superuser', status: 200, expect: 'test123' },
  ];
  for (const c of cases) {
    it.runIf(c.from === '127.0.0.1' || otherLoopbackUsable)(c.name, async () => {
      await setList(c.list);
      try {
        const headers: Record<string, string> = c.auth ? { authorization: shared.tokens[c.auth]! } : {};
        const res = await requestFrom(c.from, `${t.url}/my/test`, { headers });
        expect(res.status, res.text).toBe(c.status);
        expect(res.text).toContain(c.expect);
      } finally {
        await setList([]);
      }
    });
  }
});
