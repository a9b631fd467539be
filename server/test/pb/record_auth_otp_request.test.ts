/** PocketBase's `apis/record_auth_otp_request_test.go` scenarios, replayed against Hearth. */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { IDS, startAuthFixture, type AuthFixture } from './auth-fixture.ts';
import { mailsSince, rateLimitScenario, runScenarios, type Scenario } from './auth-scenarios.ts';

let fx: AuthFixture;
beforeAll(async () => {
  fx = await startAuthFixture();
});
afterAll(() => fx?.close());

const URL = '/api/collections/users/request-otp';
const USER = '4q1xlclmfloku33';
let mark = 0;

const ago = (ms: number) => new Date(Date.now() - ms).toISOString().replace('T', ' ');
/** PocketBase's scenarios insert codes directly (`SaveNoValidate`), with ids the API would refuse. */
async function seedOtps(f: AuthFixture, count: number, expiredFrom = count): Promise<void> {
  await f.server.engine.run('DELETE FROM "_otps"');
  for (let i = 0; i < count; i++) {
    const created = i >= expiredFrom ? ago(3 * 365 * 86_400_000) : ago(count - i);
    await f.server.engine.run('INSERT INTO "_otps" ("id", "collectionRef", "recordRef", "password", "sentTo", "created", "updated") VALUES (?, ?, ?, ?, ?, ?, ?)', [
      `otp_${i}`,
      IDS.users,
      USER,
      'not-a-code',
      '',
      created,
      created,
    ]);
  }
}
const startMark = async (f: AuthFixture) => {
  mark = f.inbox.mails.length;
};

const scenarios: Scenario<AuthFixture>[] = [
  { name: 'not an auth collection', method: 'POST', url: '/api/collections/demo1/request-otp', body: { email: 'test@example.com' }, status: 404, expect: ['"data":{}'] },
  {
    name: 'auth collection with disabled otp',
    method: 'POST',
    url: URL,
    body: { email: 'test@example.com' },
    before: (f) => f.patchCollection('users', { otp: { enabled: false, duration: 300, length: 8 } }),
    after: (f) => f.patchCollection('users', { otp: { enabled: true, duration: 300, length: 8 } }),
    status: 403,
    expect: ['"data":{}'],
  },
  { name: 'empty body', method: 'POST', url: URL, body: '', status: 400, expect: ['"data":{"email":{"code":"validation_required","message":"Cannot be blank."}}'] },
  { name: 'invalid body', method: 'POST', url: URL, body: '{"email', status: 400, expect: ['"data":{}'] },
  { name: 'invalid request data', method: 'POST', url: URL, body: { email: 'invalid' }, status: 400, expect: ['"data":{', '"email":{"code":"validation_is_email'] },
  {
    name: 'missing auth record',
    method: 'POST',
    url: URL,
    body: { email: 'missing@example.com' },
    before: startMark,
    status: 200,
    expect: ['"otpId":"'],
    after: async (f) => {
      expect(await mailsSince(f, mark)).toEqual([]);
    },
  },
  {
    name: 'existing auth record (with < 9 non-expired)',
    method: 'POST',
    url: URL,
    body: { email: 'test@example.com' },
    before: async (f) => {
      await seedOtps(f, 10, 8);
      await startMark(f);
    },
    status: 200,
    expect: ['"otpId":"'],
    notExpect: ['"otpId":"otp_'],
    after: async (f, res) => {
      const mails = await mailsSince(f, mark);
      expect(mails.map((m) => m.to)).toEqual([['test@example.com']]);
      const sent = await f.server.engine.all<{ id: string }>('SELECT "id" FROM "_otps" WHERE "sentTo" = ?', ['test@example.com']);
      expect(sent.map((r) => r.id)).toEqual([res.body.otpId]);
    },
  },
  {
    name: 'existing auth record with intercepted email (with < 9 non-expired)',
    method: 'POST',
    url: URL,
    status: 200,
    skip: 'binds a Go hook (OnMailerRecordOTPSend) in-process',
  },
  {
    name: 'existing auth record (with > 9 non-expired)',
    method: 'POST',
    url: URL,
    body: { email: 'test@example.com' },
    before: async (f) => {
      await seedOtps(f, 10);
      await startMark(f);
    },
    status: 200,
    expect: ['"otpId":"otp_9"'],
    after: async (f) => {
      expect(await mailsSince(f, mark)).toEqual([]);
      await f.server.engine.run('DELETE FROM "_otps"');
    },
  },
  { name: 'OnRecordRequestOTPRequest tx body write check', method: 'POST', url: URL, status: 400, skip: 'binds a Go hook in-process' },
  rateLimitScenario('users:requestOTP', 'POST', URL, undefined, { email: 'test@example.com' }),
  rateLimitScenario('*:requestOTP', 'POST', URL, undefined, { email: 'test@example.com' }),
];

describe('PocketBase record_auth_otp_request', () => {
  runScenarios(() => fx, scenarios);
});
