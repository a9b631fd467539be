/**
 * PocketBase's `apis/settings_test.go` scenarios (list, set, test/s3, test/email), plus the
 * settings sections that drive behaviour: rate-limit rules in PocketBase's label syntax and the
 * batch section, and TestGenerateAppleClientSecret (the valid secret's signature and claims are
 * checked with the key's public half).
 */
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scalar } from '../engine-state.ts';
import { startServer, type TestServer } from '../harness.ts';
import { startSmtp, type Inbox } from '../auth-helpers.ts';
import { runScenarios, target, type Scenario, type ScenarioTarget } from './scenario.ts';
import { NO_TX_WRITE_HOOK, refuseAfterResponse, withHooksServer } from './tx-hooks.ts';

let t: TestServer;
let inbox: Inbox;
let shared: ScenarioTarget;

beforeAll(async () => {
  inbox = await startSmtp();
  t = await startServer({ smtpUrl: inbox.url });
  await t.api('POST', '/api/collections/users/records', { id: '4q1xlclmfloku33', email: 'test@example.com', password: '1234567890', passwordConfirm: '1234567890' }, t.adminToken);
  const user = await t.api('POST', '/api/collections/users/auth-with-password', { identity: 'test@example.com', password: '1234567890' });
  shared = target(t.url, { superuser: t.adminToken, user: user.body.token });
});
afterAll(async () => {
  await t?.close();
  await inbox?.close();
});

const SECTIONS = ['"meta":{', '"logs":{', '"smtp":{', '"s3":{', '"backups":{', '"batch":{'];
const VALID = { meta: { appName: 'update_test' }, smtp: { password: 'new_smtp_password' }, s3: { secret: 'new_s3_secret' }, backups: { s3: { secret: 'new_backups_s3_secret' } } };

describe('GET /api/settings (TestSettingsList)', () => {
  runScenarios(
    [
      { name: 'unauthorized', method: 'GET', url: '/api/settings', status: 401, expect: ['"data":{}'] },
      { name: 'authorized as regular user', method: 'GET', url: '/api/settings', auth: 'user', status: 403, expect: ['"data":{}'] },
      { name: 'authorized as superuser', method: 'GET', url: '/api/settings', auth: 'superuser', status: 200, expect: [...SECTIONS, '"rateLimits":{'] },
    ],
    () => shared,
  );
  it('OnSettingsListRequest tx body write check (a request hook that refuses after the answer)', async () => {
    const res = await withHooksServer(refuseAfterResponse('/api/settings', 'path'), (h) => h.api('GET', '/api/settings', undefined, h.adminToken));
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('TX_ERROR');
  });
});

describe('PATCH /api/settings (TestSettingsSet)', () => {
  const scenarios: Scenario[] = [
    { name: 'unauthorized', method: 'PATCH', url: '/api/settings', body: VALID, status: 401, expect: ['"data":{}'] },
    { name: 'authorized as regular user', method: 'PATCH', url: '/api/settings', body: VALID, auth: 'user', status: 403, expect: ['"data":{}'] },
    { name: 'authorized as superuser submitting empty data', method: 'PATCH', url: '/api/settings', body: '', auth: 'superuser', status: 200, expect: SECTIONS },
    {
      name: 'authorized as superuser submitting invalid data',
      method: 'PATCH',
      url: '/api/settings',
      body: { meta: { appName: '' } },
      auth: 'superuser',
      status: 400,
      expect: ['"data":{', '"meta":{"appName":{"code":"validation_required"'],
    },
    {
      name: 'authorized as superuser submitting valid data',
      method: 'PATCH',
      url: '/api/settings',
      body: VALID,
      auth: 'superuser',
      status: 200,
      expect: [...SECTIONS, '"appName":"update_test"'],
      // PocketBase checks that "password" appears nowhere; Hearth's settings also hold the mail
      // templates and auth rate-limit labels, whose text says "password": no key, no value.
      notExpect: ['secret', '"password"', 'new_smtp_password'],
      diff: 'settings carry the auth mail templates (PocketBase keeps them on the collection)',
      after: async () => {
        const stored = JSON.parse(String(await scalar(t.server.engine, `SELECT "value" FROM "_params" WHERE "key" = 'settings'`)));
        expect(stored.smtp.password).toBe('new_smtp_password');
        expect(stored.s3.secret).toBe('new_s3_secret');
        expect(stored.backups.s3.secret).toBe('new_backups_s3_secret');
      },
    },
    { name: 'OnSettingsUpdateRequest tx body write check', method: 'PATCH', url: '/api/settings', status: 400, skip: NO_TX_WRITE_HOOK },
  ];
  runScenarios(scenarios, () => shared);
});

describe('POST /api/settings/test/s3 (TestSettingsTestS3)', () => {
  runScenarios(
    [
      { name: 'unauthorized', method: 'POST', url: '/api/settings/test/s3', status: 401, expect: ['"data":{}'] },
      { name: 'authorized as regular user', method: 'POST', url: '/api/settings/test/s3', auth: 'user', status: 403, expect: ['"data":{}'] },
      { name: 'authorized as superuser (missing body + no s3)', method: 'POST', url: '/api/settings/test/s3', auth: 'superuser', status: 400, expect: ['"data":{', '"filesystem":{'] },
      { name: 'authorized as superuser (invalid filesystem)', method: 'POST', url: '/api/settings/test/s3', body: { filesystem: 'invalid' }, auth: 'superuser', status: 400, expect: ['"data":{', '"filesystem":{'] },
      { name: 'authorized as superuser (valid filesystem and no s3)', method: 'POST', url: '/api/settings/test/s3', body: { filesystem: 'storage' }, auth: 'superuser', status: 400, expect: ['"data":{}'] },
    ],
    () => shared,
  );
});

describe('POST /api/settings/apple/generate-client-secret (TestGenerateAppleClientSecret)', () => {
  const url = '/api/settings/apple/generate-client-secret';
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const valid = { clientId: '123', teamId: '1234567890', keyId: '1234567891', privateKey: privatePem, duration: 1 };
  runScenarios(
    [
      { name: 'unauthorized', method: 'POST', url, status: 401, expect: ['"data":{}'] },
      { name: 'authorized as regular user', method: 'POST', url, auth: 'user', status: 403, expect: ['"data":{}'] },
      { name: 'authorized as superuser (invalid body)', method: 'POST', url, body: '{', auth: 'superuser', status: 400, expect: ['"data":{}'] },
      {
        name: 'authorized as superuser (empty json)',
        method: 'POST',
        url,
        body: {},
        auth: 'superuser',
        status: 400,
        expect: ['clientId', 'teamId', 'keyId', 'privateKey', 'duration'].map((f) => `"${f}":{"code":"validation_required"`),
      },
      {
        name: 'authorized as superuser (invalid data)',
        method: 'POST',
        url,
        body: { clientId: '', teamId: '123456789', keyId: '123456789', privateKey: 'invalid', duration: -1 },
        auth: 'superuser',
        status: 400,
        expect: [
          '"clientId":{"code":"validation_required"',
          '"teamId":{"code":"validation_length_invalid"',
          '"keyId":{"code":"validation_length_invalid"',
          '"privateKey":{"code":"validation_match_invalid"',
          '"duration":{"code":"validation_min_greater_equal_than_required"',
        ],
      },
      {
        name: 'authorized as superuser (valid data)',
        method: 'POST',
        url,
        body: valid,
        auth: 'superuser',
        status: 200,
        expect: ['"secret":"'],
        after: (res) => {
          const [header, claims, signature] = (res.json.secret as string).split('.') as [string, string, string];
          const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
          expect(decode(header)).toMatchObject({ alg: 'ES256', kid: '1234567891' });
          const c = decode(claims);
          expect(c).toMatchObject({ iss: '1234567890', sub: '123', aud: ['https://appleid.apple.com'] });
          expect(c.exp - c.iat).toBe(1);
          const ok = verify('sha256', Buffer.from(`${header}.${claims}`), { key: createPublicKey(privateKey), dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
          expect(ok).toBe(true);
        },
      },
      {
        name: 'a PEM block that is not an EC P-256 key is a 400, not a 500',
        method: 'POST',
        url,
        body: { ...valid, privateKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----' },
        auth: 'superuser',
        status: 400,
        expect: ['"data":{}', 'private key'],
      },
    ],
    () => shared,
  );
});

describe('POST /api/settings/test/email (TestSettingsTestEmail)', () => {
  const mail = (template: string, marker: string): Scenario => ({
    name: `authorized as superuser (${template})`,
    method: 'POST',
    url: '/api/settings/test/email',
    body: { template, email: `${template}@example.com` },
    auth: 'superuser',
    status: 204,
    after: async () => {
      const sent = await inbox.waitFor((m) => m.to.includes(`${template}@example.com`));
      expect(sent.html).toContain(marker);
    },
  });
  runScenarios(
    [
      { name: 'unauthorized', method: 'POST', url: '/api/settings/test/email', body: { template: 'verification', email: 'test@example.com' }, status: 401, expect: ['"data":{}'] },
      { name: 'authorized as regular user', method: 'POST', url: '/api/settings/test/email', body: { template: 'verification', email: 'test@example.com' }, auth: 'user', status: 403, expect: ['"data":{}'] },
      { name: 'authorized as superuser (invalid body)', method: 'POST', url: '/api/settings/test/email', body: '{', auth: 'superuser', status: 400, expect: ['"data":{}'] },
      {
        name: 'authorized as superuser (empty json)',
        method: 'POST',
        url: '/api/settings/test/email',
        body: {},
        auth: 'superuser',
        status: 400,
        expect: ['"email":{"code":"validation_required"', '"template":{"code":"validation_required"'],
      },
      mail('verification', 'Verify'),
      mail('password-reset', 'Reset password'),
      mail('email-change', 'Confirm new email'),
      mail('otp', 'one-time password'),
    ],
    () => shared,
  );
});

describe('settings → rateLimits (PocketBase labels)', () => {
  it('rejects labels PocketBase would not accept, and conflicting rules', async () => {
    const bad = await t.api('PATCH', '/api/settings', { rateLimits: { rules: [{ label: 'not a label!', maxRequests: 1, duration: 1 }] } }, t.adminToken);
    expect(bad.status).toBe(400);
    expect(bad.body.data.rateLimits.rules['0'].label.code).toBe('validation_match_invalid');
    const twice = await t.api('PATCH', '/api/settings', { rateLimits: { rules: [{ label: '*:create', maxRequests: 1, duration: 1 }, { label: '*:create', maxRequests: 2, duration: 1 }] } }, t.adminToken);
    expect(twice.status).toBe(400);
    expect(twice.body.data.rateLimits.rules['1'].label.code).toBe('validation_conflicting_rate_limit_rule');
  });

  it('applies `*:create`, `collection:action` and path rules, per audience; superusers are exempt', async () => {
    await t.api('POST', '/api/collections', { name: 'rl_posts', type: 'base', fields: [{ name: 'title', type: 'text' }], listRule: '', createRule: '' }, t.adminToken);
    const rules = [
      { label: '*:create', audience: '', maxRequests: 2, duration: 3600 },
      { label: 'rl_posts:list', audience: '@guest', maxRequests: 1, duration: 3600 },
      { label: 'GET /api/health', audience: '', maxRequests: 1, duration: 3600 },
    ];
    const set = await t.api('PATCH', '/api/settings', { rateLimits: { enabled: true, rules } }, t.adminToken);
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    try {
      const creates = [];
      for (let i = 0; i < 3; i++) creates.push((await t.api('POST', '/api/collections/rl_posts/records', { title: `t${i}` })).status);
      expect(creates).toEqual([200, 200, 429]);
      expect((await t.api('POST', '/api/collections/rl_posts/records', { title: 'su' }, t.adminToken)).status).toBe(200);
      const guestLists = [(await t.api('GET', '/api/collections/rl_posts/records')).status, (await t.api('GET', '/api/collections/rl_posts/records')).status];
      expect(guestLists).toEqual([200, 429]);
      const userToken = shared.tokens.user!;
      expect((await t.api('GET', '/api/collections/rl_posts/records', undefined, userToken)).status).toBe(200);
      expect((await t.api('GET', '/api/collections/rl_posts/records', undefined, userToken)).status).toBe(200);
      expect([(await t.api('GET', '/api/health')).status, (await t.api('GET', '/api/health')).status]).toEqual([200, 429]);
      // The built-in auth buckets stay listed (at their defaults) when a PATCH leaves them out.
      expect(set.body.rateLimits.rules.map((r: { label: string }) => r.label)).toContain('auth-with-password:ip');
    } finally {
      await t.api('PATCH', '/api/settings', { rateLimits: { rules: [] } }, t.adminToken);
    }
  });
});

describe('settings → batch', () => {
  const batch = (n: number, token?: string) =>
    t.api('POST', '/api/batch', { requests: Array.from({ length: n }, (_, i) => ({ method: 'POST', url: '/api/collections/rl_posts/records', body: { title: `b${i}` } })) }, token);

  it('enabled=false answers 403; maxRequests bounds a batch; maxBodySize answers 413', async () => {
    expect((await t.api('PATCH', '/api/settings', { batch: { enabled: false } }, t.adminToken)).status).toBe(200);
    const off = await batch(1, t.adminToken);
    expect(off.status).toBe(403);
    expect(off.body.message).toBe('Batch requests are not allowed.');
    expect((await t.api('PATCH', '/api/settings', { batch: { enabled: true, maxRequests: 2 } }, t.adminToken)).status).toBe(200);
    expect((await batch(2, t.adminToken)).status).toBe(200);
    const over = await batch(3, t.adminToken);
    expect(over.status).toBe(400);
    expect(over.body.data.requests.code).toBe('validation_length_too_long');
    expect((await t.api('PATCH', '/api/settings', { batch: { maxBodySize: 100 } }, t.adminToken)).status).toBe(200);
    expect((await batch(2, t.adminToken)).status).toBe(413);
    await t.api('PATCH', '/api/settings', { batch: { maxRequests: 50, maxBodySize: 0 } }, t.adminToken);
  });
});
