/** PocketBase's `apis/record_auth_email_change_request_test.go` scenarios, replayed against Hearth. */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { startAuthFixture, type AuthFixture } from './auth-fixture.ts';
import { mailsSince, rateLimitScenario, runScenarios, type Scenario } from './auth-scenarios.ts';

let fx: AuthFixture;
beforeAll(async () => {
  fx = await startAuthFixture();
});
afterAll(() => fx?.close());

const URL = '/api/collections/users/request-email-change';
const user = (f: AuthFixture) => f.token('users', 'test@example.com');
const BODY = { newEmail: 'change@example.com' };
let mark = 0;

const scenarios: Scenario<AuthFixture>[] = [
  { name: 'unauthorized', method: 'POST', url: URL, body: BODY, status: 401, expect: ['"data":{}'] },
  { name: 'not an auth collection', method: 'POST', url: '/api/collections/demo1/request-email-change', body: BODY, status: 401, expect: ['"data":{}'] },
  { name: 'record authentication but from different auth collection', method: 'POST', url: '/api/collections/clients/request-email-change', auth: user, body: BODY, status: 403, expect: ['"data":{}'] },
  { name: 'superuser authentication', method: 'POST', url: URL, auth: (f) => f.adminToken, body: BODY, status: 403, expect: ['"data":{}'] },
  { name: 'invalid data', method: 'POST', url: URL, auth: user, body: '{"newEmail', status: 400, expect: ['"data":{}'] },
  { name: 'empty data', method: 'POST', url: URL, auth: user, body: {}, status: 400, expect: ['"data":', '"newEmail":{"code":"validation_required"'] },
  {
    name: 'valid data (existing email)',
    method: 'POST',
    url: URL,
    auth: user,
    body: { newEmail: 'test2@example.com' },
    differs: 'a taken address gets the same 204 and no mail, so the answer does not reveal which addresses have accounts',
    status: 204,
    after: async (f) => {
      expect((await mailsSince(f, mark)).filter((m) => m.to.includes('test2@example.com'))).toEqual([]);
    },
    before: async (f) => {
      mark = f.inbox.mails.length;
    },
  },
  {
    name: 'valid data (new email)',
    method: 'POST',
    url: URL,
    auth: user,
    body: BODY,
    status: 204,
    after: async (f) => {
      const mail = await f.inbox.waitFor((m) => m.to.includes('change@example.com'));
      expect(mail.html).toContain('/auth/confirm-email-change');
    },
  },
  { name: 'OnRecordRequestEmailChangeRequest tx body write check', method: 'POST', url: URL, status: 400, skip: 'binds a Go hook in-process' },
  rateLimitScenario('users:requestEmailChange', 'POST', URL, user, BODY),
  rateLimitScenario('*:requestEmailChange', 'POST', URL, user, BODY),
];

describe('PocketBase record_auth_email_change_request', () => {
  runScenarios(() => fx, scenarios);
});
