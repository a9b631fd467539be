/** PocketBase's `apis/record_auth_password_reset_request_test.go` scenarios, replayed against Hearth. */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { startAuthFixture, type AuthFixture } from './auth-fixture.ts';
import { mailsSince, rateLimitScenario, runScenarios, type Scenario } from './auth-scenarios.ts';

let fx: AuthFixture;
beforeAll(async () => {
  fx = await startAuthFixture();
});
afterAll(() => fx?.close());

const URL = '/api/collections/users/request-password-reset';
let mark = 0;
const startMark = async (f: AuthFixture) => {
  mark = f.inbox.mails.length;
};

const scenarios: Scenario<AuthFixture>[] = [
  { name: 'not an auth collection', method: 'POST', url: '/api/collections/demo1/request-password-reset', body: '', status: 404, expect: ['"data":{}'] },
  { name: 'empty data', method: 'POST', url: URL, body: '', status: 400, expect: ['"data":{"email":{"code":"validation_required","message":"Cannot be blank."}}'] },
  { name: 'invalid data', method: 'POST', url: URL, body: '{"email', status: 400, expect: ['"data":{}'] },
  {
    name: 'existing auth record in a collection with disabled password login',
    method: 'POST',
    url: '/api/collections/nologin/request-password-reset',
    body: { email: 'test@example.com' },
    status: 400,
    expect: ['"data":{}'],
  },
  {
    name: 'missing auth record',
    method: 'POST',
    url: URL,
    body: { email: 'missing@example.com' },
    before: startMark,
    status: 204,
    after: async (f) => {
      expect(await mailsSince(f, mark)).toEqual([]);
    },
  },
  {
    name: 'existing auth record',
    method: 'POST',
    url: URL,
    body: { email: 'test@example.com' },
    status: 204,
    after: async (f) => {
      const mail = await f.inbox.waitFor((m) => m.to.includes('test@example.com') && m.html.includes('/auth/confirm-password-reset'));
      expect(mail.subject).not.toBe('');
    },
  },
  {
    name: 'existing auth record (after already sent)',
    method: 'POST',
    url: URL,
    body: { email: 'test@example.com' },
    // PocketBase pauses repeat mails to a record for two minutes, even with rate limits off.
    before: startMark,
    status: 204,
    after: async (f) => {
      expect(await mailsSince(f, mark)).toEqual([]);
    },
  },
  { name: 'OnRecordRequestPasswordResetRequest tx body write check', method: 'POST', url: URL, status: 400, skip: 'binds a Go hook in-process' },
  rateLimitScenario('users:requestPasswordReset', 'POST', URL, undefined, { email: 'test@example.com' }),
  rateLimitScenario('*:requestPasswordReset', 'POST', URL, undefined, { email: 'test@example.com' }),
];

describe('PocketBase record_auth_password_reset_request', () => {
  runScenarios(() => fx, scenarios);
});
