/** PocketBase's `apis/record_auth_email_change_confirm_test.go` scenarios, replayed against Hearth. */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { PASSWORD, startAuthFixture, type AuthFixture } from './auth-fixture.ts';
import { rateLimitScenario, runScenarios, type Scenario } from './auth-scenarios.ts';
import { linkCount, restoreUser, userRow, USER } from './auth-state.ts';
import { issueEmailToken } from './email-token.ts';

let fx: AuthFixture;
beforeAll(async () => {
  fx = await startAuthFixture();
});
afterAll(() => fx?.close());

const URL = '/api/collections/users/confirm-email-change';
let token = '';
const withToken = (type: 'emailChange' | 'verification' | 'auth', expired = false) => async (f: AuthFixture) => {
  token = type === 'auth' ? f.token('users', 'test@example.com') : await issueEmailToken(f, 'users', USER, type, { expired, newEmail: 'change@example.com' });
};
const tokenBody = (s: Omit<Scenario<AuthFixture>, 'body'>, password = PASSWORD): Scenario<AuthFixture> => ({
  ...s,
  get body() {
    return { token, password };
  },
});

const scenarios: Scenario<AuthFixture>[] = [
  { name: 'not an auth collection', method: 'POST', url: '/api/collections/demo1/confirm-email-change', status: 404, expect: ['"data":{}'] },
  { name: 'empty data', method: 'POST', url: URL, body: '', status: 400, expect: ['"data":', '"token":{"code":"validation_required"', '"password":{"code":"validation_required"'] },
  { name: 'invalid data', method: 'POST', url: URL, body: '{"token', status: 400, expect: ['"data":{}'] },
  tokenBody({ name: 'expired token and correct password', method: 'POST', url: URL, before: withToken('emailChange', true), status: 400, expect: ['"data":{', '"token":{', '"code":"validation_invalid_token"'] }),
  tokenBody({ name: 'non-email change token', method: 'POST', url: URL, before: withToken('auth'), status: 400, expect: ['"data":{', '"token":{', '"code":"validation_invalid_token_payload"'] }),
  tokenBody(
    { name: 'valid token and incorrect password', method: 'POST', url: URL, before: withToken('emailChange'), status: 400, expect: ['"data":{', '"password":{', '"code":"validation_invalid_password"'] },
    '1234567891',
  ),
  tokenBody({
    name: 'valid token and correct password',
    method: 'POST',
    url: URL,
    before: async (f) => {
      expect((await userRow(f)).verified).toBe(0);
      expect(await linkCount(f)).toBeGreaterThan(0);
      await withToken('emailChange')(f);
    },
    status: 204,
    after: async (f) => {
      expect(await userRow(f)).toMatchObject({ email: 'change@example.com', verified: 1 });
      expect(await linkCount(f)).toBe(0);
      await restoreUser(f);
    },
  }),
  tokenBody({
    name: 'valid token in different auth collection',
    method: 'POST',
    url: '/api/collections/clients/confirm-email-change',
    before: withToken('emailChange'),
    status: 400,
    expect: ['"data":{', '"token":{"code":"validation_token_collection_mismatch"'],
  }),
  { name: 'OnRecordConfirmEmailChangeRequest tx body write check', method: 'POST', url: URL, status: 400, skip: 'binds a Go hook in-process' },
  rateLimitScenario('users:confirmEmailChange', 'POST', URL, undefined, { token: 'x', password: PASSWORD }),
  rateLimitScenario('*:confirmEmailChange', 'POST', URL, undefined, { token: 'x', password: PASSWORD }),
];

describe('PocketBase record_auth_email_change_confirm', () => {
  runScenarios(() => fx, scenarios);
});
