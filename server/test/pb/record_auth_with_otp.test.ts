/** PocketBase's `apis/record_auth_with_otp_test.go` scenarios, replayed against Hearth. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, startAuthFixture, type AuthFixture } from './auth-fixture.ts';
import { rateLimitScenario, runScenarios, send, type Scenario } from './auth-scenarios.ts';

let fx: AuthFixture;
beforeAll(async () => {
  fx = await startAuthFixture();
});
afterAll(() => fx?.close());

const URL = '/api/collections/users/auth-with-otp';
const USER = '4q1xlclmfloku33';
const A = 'a'.repeat(15);
const SECRETS = ['"meta":', '"tokenKey"', '"password"'];
const MFA_ON = { mfa: { enabled: true, duration: 1800, rule: '' } };
const MFA_OFF = { mfa: { enabled: false, duration: 1800, rule: '' } };

/** A code as a superuser writes it through the `_otps` collection (PocketBase's `core.NewOTP` + Save). */
async function saveOtp(f: AuthFixture, o: { id: string; collectionRef?: string; recordRef?: string; password?: string; sentTo?: string }): Promise<void> {
  await f.server.engine.run('DELETE FROM "_otps" WHERE "id" = ?', [o.id]);
  const res = await f.api(
    'POST',
    '/api/collections/_otps/records',
    { id: o.id, collectionRef: o.collectionRef ?? IDS.users, recordRef: o.recordRef ?? USER, password: o.password ?? '123456', sentTo: o.sentTo ?? '' },
    f.adminToken,
  );
  if (res.status !== 200) throw new Error(`otp: ${res.status} ${JSON.stringify(res.body)}`);
}
const externalAuthCount = async (f: AuthFixture) =>
  (await f.server.engine.get<{ n: number }>('SELECT count(*) AS n FROM "_externalAuths" WHERE "collectionRef" = ? AND "recordRef" = ?', [IDS.users, USER]))!.n;
const verified = async (f: AuthFixture) => (await f.server.engine.get<{ verified: number }>('SELECT "verified" FROM "users" WHERE "id" = ?', [USER]))!.verified === 1;
async function setUnverified(f: AuthFixture) {
  const res = await f.api('PATCH', `/api/collections/users/records/${USER}`, { verified: false }, f.adminToken);
  if (res.status !== 200) throw new Error(JSON.stringify(res.body));
}
async function restoreLinks(f: AuthFixture) {
  for (const row of [
    { id: 'clmflokuq1xl341', provider: 'google', providerId: 'test123' },
    { id: 'dlmflokuq1xl342', provider: 'gitlab', providerId: 'test123' },
  ]) {
    await f.server.engine.run(f.server.engine.dialect.insertIgnore('_externalAuths', ['id', 'collectionRef', 'recordRef', 'provider', 'providerId', 'created', 'updated']), [
      row.id, IDS.users, USER, row.provider, row.providerId, '2022-01-01 01:01:01.123Z', '2022-01-01 01:01:01.123Z',
    ]);
  }
}

const scenarios: Scenario<AuthFixture>[] = [
  { name: 'not an auth collection', method: 'POST', url: '/api/collections/demo1/auth-with-otp', body: { otpId: 'test', password: '123456' }, status: 404, expect: ['"data":{}'] },
  {
    name: 'auth collection with disabled otp',
    method: 'POST',
    url: URL,
    body: { otpId: 'test', password: '123456' },
    before: (f) => f.patchCollection('users', { otp: { enabled: false, duration: 300, length: 8 } }),
    after: (f) => f.patchCollection('users', { otp: { enabled: true, duration: 300, length: 8 } }),
    status: 403,
    expect: ['"data":{}'],
  },
  { name: 'invalid body', method: 'POST', url: URL, body: '{"email', status: 400, expect: ['"data":{}'] },
  { name: 'empty body', method: 'POST', url: URL, body: '', status: 400, expect: ['"data":{', '"otpId":{"code":"validation_required"', '"password":{"code":"validation_required"'] },
  {
    name: 'invalid request data',
    method: 'POST',
    url: URL,
    body: { otpId: 'a'.repeat(256), password: 'a'.repeat(72) },
    status: 400,
    expect: ['"data":{', '"otpId":{"code":"validation_length_out_of_range"', '"password":{"code":"validation_length_out_of_range"'],
  },
  {
    name: 'missing otp',
    method: 'POST',
    url: URL,
    body: { otpId: 'missing', password: '123456' },
    before: (f) => saveOtp(f, { id: A }),
    status: 400,
    expect: ['"data":{}'],
  },
  {
    name: 'otp for different collection',
    method: 'POST',
    url: URL,
    body: { otpId: A, password: '123456' },
    before: (f) => saveOtp(f, { id: A, collectionRef: IDS.clients, recordRef: 'gk390qegs4y47wn' }),
    status: 400,
    expect: ['"data":{}'],
  },
  {
    name: 'otp with wrong password',
    method: 'POST',
    url: URL,
    body: { otpId: A, password: '123456' },
    before: (f) => saveOtp(f, { id: A, password: '1234567890' }),
    status: 400,
    expect: ['"data":{}'],
  },
  {
    name: 'expired otp with valid password',
    method: 'POST',
    url: URL,
    body: { otpId: A, password: '123456' },
    before: async (f) => {
      await saveOtp(f, { id: A });
      await f.server.engine.run('UPDATE "_otps" SET "created" = ?, "updated" = ? WHERE "id" = ?', ['2020-01-01 00:00:00.000Z', '2020-01-01 00:00:00.000Z', A]);
    },
    status: 400,
    expect: ['"data":{}'],
  },
  {
    name: 'valid otp with valid password (enabled MFA)',
    method: 'POST',
    url: URL,
    body: { otpId: A, password: '123456' },
    before: (f) => saveOtp(f, { id: A }),
    status: 401,
    expect: ['"mfaId":"'],
    after: async (f) => {
      await f.server.engine.run('DELETE FROM "_mfas"');
    },
  },
  {
    name: 'valid otp with valid password and empty sentTo (disabled MFA)',
    method: 'POST',
    url: URL,
    body: { otpId: A, password: '123456' },
    before: async (f) => {
      await setUnverified(f);
      await f.patchCollection('users', MFA_OFF);
      await saveOtp(f, { id: A });
    },
    status: 200,
    expect: ['"token":"', '"record":{', '"email":"test@example.com"'],
    notExpect: SECRETS,
    after: async (f) => {
      expect(await verified(f), 'sentTo != email: the code proved no mailbox').toBe(false);
      expect(await externalAuthCount(f)).toBe(2);
      await f.patchCollection('users', MFA_ON);
    },
  },
  {
    name: 'valid otp with valid password and nonempty sentTo=email (disabled MFA)',
    method: 'POST',
    url: URL,
    body: { otpId: A, password: '123456' },
    before: async (f) => {
      await setUnverified(f);
      await f.patchCollection('users', MFA_OFF);
      await saveOtp(f, { id: A, sentTo: 'test@example.com' });
      await saveOtp(f, { id: 'b'.repeat(15) });
      expect(await externalAuthCount(f)).toBeGreaterThan(0);
    },
    status: 200,
    expect: ['"token":"', '"record":{', '"email":"test@example.com"'],
    notExpect: SECRETS,
    after: async (f) => {
      expect(await verified(f)).toBe(true);
      expect(await f.server.engine.all('SELECT "id" FROM "_otps" WHERE "recordRef" = ?', [USER])).toEqual([]);
      expect(await externalAuthCount(f)).toBe(0);
      await restoreLinks(f);
      await f.patchCollection('users', MFA_ON);
    },
  },
  { name: 'OnRecordAuthWithOTPRequest tx body write check', method: 'POST', url: URL, status: 400, skip: 'binds a Go hook in-process' },
  rateLimitScenario('users:authWithOTP', 'POST', URL),
  rateLimitScenario('*:authWithOTP', 'POST', URL),
  rateLimitScenario('users:auth', 'POST', URL),
  rateLimitScenario('*:auth', 'POST', URL),
];

describe('PocketBase record_auth_with_otp', () => {
  runScenarios(() => fx, scenarios);
});

describe('PocketBase record_auth_with_otp (manual rate limiter check)', () => {
  // PocketBase's guess limit per record: 5 wrong codes, then every try is refused, even the right
  // code. Hearth's counterpart is the `auth-with-otp:record` bucket, which stays on while rate
  // limits are switched off (as in this fixture, and as PocketBase's own test app runs). The codes
  // are test3's, a record no other scenario here guesses for.
  const B = 'b'.repeat(15);
  const TEST3 = 'bgs820n361vj1qd';
  const steps: [string, string, number][] = [
    [A, '12345', 400],
    [A, '12345', 400],
    [B, '12345', 400],
    [B, '12345', 400],
    [B, '12345', 400],
    [A, '12345', 429],
    [A, '123456', 429],
    [A, '123456', 429],
    [B, '123456', 429],
  ];
  it('refuses a record after five wrong codes, even with a right one, with rate limits off', async () => {
    const f = fx;
    await f.patchCollection('users', MFA_OFF);
    try {
      expect((await f.api('GET', '/api/settings', undefined, f.adminToken)).body.rateLimits.enabled).toBe(false);
      await saveOtp(f, { id: A, recordRef: TEST3 });
      await saveOtp(f, { id: B, recordRef: TEST3 });
      const got: number[] = [];
      for (const [otpId, password] of steps) got.push((await send(f.url, { method: 'POST', url: URL, body: { otpId, password } })).status);
      expect(got).toEqual(steps.map((s) => s[2]));
    } finally {
      await f.patchCollection('users', MFA_ON);
    }
  });
});
