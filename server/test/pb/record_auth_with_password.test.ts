/** PocketBase's `apis/record_auth_with_password_test.go` scenarios, replayed against Hearth. */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { PASSWORD, startAuthFixture, type AuthFixture } from './auth-fixture.ts';
import { runScenarios, type Scenario } from './auth-scenarios.ts';

let fx: AuthFixture;
beforeAll(async () => {
  fx = await startAuthFixture();
});
afterAll(() => fx?.close());

const URL = '/api/collections/clients/auth-with-password';
const SECRETS = ['"tokenKey"', '"password"'];
const CLIENT_INDEXES = (collate: { username?: string; email?: string }) => [
  `CREATE UNIQUE INDEX \`idx_clients_username\` ON \`clients\` (username${collate.username ? ` COLLATE ${collate.username}` : ''})`,
  ...(collate.email ? [`CREATE UNIQUE INDEX \`idx_clients_email_nocase\` ON \`clients\` (email COLLATE ${collate.email}) WHERE email != ''`] : []),
];
const withIndexes = (collate: { username?: string; email?: string }) => async (f: AuthFixture) => f.patchCollection('clients', { indexes: CLIENT_INDEXES(collate) });
const restoreIndexes = async (f: AuthFixture) => f.patchCollection('clients', { indexes: CLIENT_INDEXES({}) });
const mfaCount = async (f: AuthFixture, recordId: string) =>
  Number((await f.server.engine.get<{ n: number }>('SELECT count(*) AS n FROM "_mfas" WHERE "recordRef" = ?', [recordId]))!.n);

const scenarios: Scenario<AuthFixture>[] = [
  { name: 'disabled password auth', method: 'POST', url: '/api/collections/nologin/auth-with-password', body: { identity: 'test@example.com', password: PASSWORD }, status: 403, expect: ['"data":{}'] },
  { name: 'non-auth collection', method: 'POST', url: '/api/collections/demo1/auth-with-password', body: { identity: 'test@example.com', password: PASSWORD }, status: 404, expect: ['"data":{}'] },
  { name: 'invalid body format', method: 'POST', url: URL, body: '{"identity', status: 400, expect: ['"data":{}'] },
  { name: 'empty body params', method: 'POST', url: URL, body: { identity: '', password: '' }, status: 400, expect: ['"data":{', '"identity":{', '"password":{'] },
  { name: 'OnRecordAuthWithPasswordRequest tx body write check', method: 'POST', url: URL, status: 400, skip: 'binds a Go hook in-process' },
  { name: 'valid identity field and invalid password', method: 'POST', url: URL, body: { identity: 'test@example.com', password: 'invalid' }, status: 400, expect: ['"data":{}'] },
  {
    name: 'valid identity field (email) and valid password',
    method: 'POST',
    url: URL,
    body: { identity: 'test@example.com', password: PASSWORD },
    status: 200,
    expect: ['"email":"test@example.com"', '"token":'],
    notExpect: SECRETS,
  },
  {
    name: 'valid identity field (username) and valid password',
    method: 'POST',
    url: URL,
    body: { identity: 'clients57772', password: PASSWORD },
    status: 200,
    expect: ['"email":"test@example.com"', '"username":"clients57772"', '"token":'],
    notExpect: SECRETS,
  },
  {
    name: 'valid non-email identity field with a value that is a properly formatted email',
    method: 'POST',
    url: URL,
    body: { identity: 'username_as_email@example.com', password: PASSWORD },
    before: async (f) => {
      await f.api('PATCH', '/api/collections/clients/records/gk390qegs4y47wn', { username: 'username_as_email@example.com' }, f.adminToken);
    },
    after: async (f) => {
      await f.api('PATCH', '/api/collections/clients/records/gk390qegs4y47wn', { username: 'clients57772' }, f.adminToken);
    },
    status: 200,
    expect: ['"email":"test@example.com"', '"username":"username_as_email@example.com"', '"token":'],
    notExpect: SECRETS,
  },
  {
    name: 'unknown explicit identityField',
    method: 'POST',
    url: URL,
    body: { identityField: 'created', identity: 'test@example.com', password: PASSWORD },
    status: 400,
    expect: ['"data":{', '"identityField":{"code":"validation_in_invalid"'],
  },
  {
    name: 'valid identity field and valid password with mismatched explicit identityField',
    method: 'POST',
    url: URL,
    body: { identityField: 'username', identity: 'test@example.com', password: PASSWORD },
    status: 400,
    expect: ['"data":{}'],
  },
  {
    name: 'valid identity field and valid password with matched explicit identityField',
    method: 'POST',
    url: URL,
    body: { identityField: 'username', identity: 'clients57772', password: PASSWORD },
    status: 200,
    expect: ['"email":"test@example.com"', '"username":"clients57772"', '"token":'],
    notExpect: SECRETS,
  },
  {
    name: 'valid identity (unverified) and valid password in onlyVerified collection',
    method: 'POST',
    url: URL,
    body: { identity: 'test2@example.com', password: PASSWORD },
    status: 403,
    expect: ['"data":{}'],
  },
  {
    name: 'already authenticated record',
    method: 'POST',
    url: URL,
    auth: (f) => f.token('users', 'test@example.com'),
    body: { identity: 'test@example.com', password: PASSWORD },
    status: 200,
    expect: ['"id":"gk390qegs4y47wn"', '"email":"test@example.com"', '"token":'],
    notExpect: SECRETS,
  },
  {
    name: 'with mfa first auth check',
    method: 'POST',
    url: '/api/collections/users/auth-with-password',
    body: { identity: 'test@example.com', password: PASSWORD },
    status: 401,
    expect: ['"mfaId":"'],
    after: async (f) => {
      expect(await mfaCount(f, '4q1xlclmfloku33')).toBe(1);
      await f.server.engine.run('DELETE FROM "_mfas"');
    },
  },
  {
    name: 'with mfa second auth check',
    method: 'POST',
    url: '/api/collections/users/auth-with-password',
    body: { mfaId: 'a'.repeat(15), identity: 'test@example.com', password: PASSWORD },
    before: async (f) => {
      // PocketBase saves a dummy MFA record whose method differs from "password".
      await f.server.engine.run('INSERT INTO "_mfas" ("id", "collectionRef", "recordRef", "method", "created") VALUES (?, ?, ?, ?, ?)', [
        'a'.repeat(15),
        '_pb_users_auth_',
        '4q1xlclmfloku33',
        'test',
        new Date().toISOString().replace('T', ' '),
      ]);
    },
    status: 200,
    expect: ['"email":"test@example.com"', '"token":'],
    notExpect: SECRETS,
    after: async (f) => {
      expect(await mfaCount(f, '4q1xlclmfloku33')).toBe(0);
    },
  },
  {
    name: 'with enabled mfa but unsatisfied mfa rule (aka. skip the mfa check)',
    method: 'POST',
    url: '/api/collections/users/auth-with-password',
    body: { identity: 'test@example.com', password: PASSWORD },
    before: (f) => f.patchCollection('users', { mfa: { enabled: true, duration: 1800, rule: '1=2' } }),
    status: 200,
    expect: ['"email":"test@example.com"', '"token":'],
    notExpect: SECRETS,
    after: async (f) => {
      expect(await mfaCount(f, '4q1xlclmfloku33')).toBe(0);
      await f.patchCollection('users', { mfa: { enabled: true, duration: 1800, rule: '' } });
    },
  },
  // case sensitivity: a unique index with COLLATE NOCASE makes the identity case-insensitive
  {
    name: 'with explicit identityField (case-sensitive)',
    method: 'POST',
    url: URL,
    body: { identityField: 'username', identity: 'Clients57772', password: PASSWORD },
    before: withIndexes({}),
    status: 400,
    expect: ['"data":{}'],
  },
  {
    name: 'with explicit identityField (case-insensitive)',
    method: 'POST',
    url: URL,
    body: { identityField: 'username', identity: 'Clients57772', password: PASSWORD },
    before: withIndexes({ username: 'NOCASE' }),
    after: restoreIndexes,
    status: 200,
    expect: ['"email":"test@example.com"', '"username":"clients57772"', '"token":'],
    notExpect: SECRETS,
  },
  {
    name: 'without explicit identityField and non-email field (case-insensitive)',
    method: 'POST',
    url: URL,
    body: { identity: 'Clients57772', password: PASSWORD },
    before: withIndexes({ username: 'NOCASE' }),
    after: restoreIndexes,
    status: 200,
    expect: ['"email":"test@example.com"', '"username":"clients57772"', '"token":'],
    notExpect: SECRETS,
  },
  {
    name: 'without explicit identityField and email field (case-insensitive)',
    method: 'POST',
    url: URL,
    body: { identity: 'tESt@example.com', password: PASSWORD },
    before: withIndexes({ email: 'NOCASE' }),
    after: restoreIndexes,
    status: 200,
    expect: ['"email":"test@example.com"', '"username":"clients57772"', '"token":'],
    notExpect: SECRETS,
  },
  ...(['users:authWithPassword', '*:authWithPassword', 'users:auth', '*:auth'] as const).map(
    (label): Scenario<AuthFixture> => ({
      name: `RateLimit rule - ${label}`,
      method: 'POST',
      url: '/api/collections/users/auth-with-password',
      // PocketBase blocks with maxRequests 0; Hearth's minimum is 1, so one request spends the budget.
  before: async (f) => {
    const res = await f.api('PATCH', '/api/settings', { rateLimits: { enabled: true, rules: [{ label, maxRequests: 1, duration: 60 }] } }, f.adminToken);
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
    await f.api('POST', '/api/collections/users/auth-with-password');
  },
      after: (f) => f.api('PATCH', '/api/settings', { rateLimits: { enabled: false } }, f.adminToken).then(() => undefined),
      status: 429,
      expect: ['"data":{}'],
    }),
  ),
];

describe('PocketBase record_auth_with_password', () => {
  runScenarios(() => fx, scenarios);
});
