/** PocketBase's `apis/record_auth_verification_confirm_test.go` scenarios, replayed against Hearth. */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { PASSWORD, startAuthFixture, type AuthFixture } from './auth-fixture.ts';
import { rateLimitScenario, runScenarios, type Scenario } from './auth-scenarios.ts';
import { linkCount, passwordWorks, restoreUser, userRow, USER } from './auth-state.ts';
import { issueEmailToken } from './email-token.ts';

let fx: AuthFixture;
beforeAll(async () => {
  fx = await startAuthFixture();
});
afterAll(() => fx?.close());

const URL = '/api/collections/users/confirm-verification';
let token = '';
const withToken = (collection: string, id: string, type: 'verification' | 'passwordReset', expired = false) => async (f: AuthFixture) => {
  token = await issueEmailToken(f, collection, id, type, { expired });
};
/** The body is built right before the request, from the token `before` issued. */
const tokenBody = (s: Omit<Scenario<AuthFixture>, 'body'>): Scenario<AuthFixture> => ({
  ...s,
  get body() {
    return { token };
  },
});

const scenarios: Scenario<AuthFixture>[] = [
  { name: 'empty data', method: 'POST', url: URL, body: '', status: 400, expect: ['"data":{', '"token":{"code":"validation_required"'] },
  { name: 'invalid data format', method: 'POST', url: URL, body: '{"password', status: 400, expect: ['"data":{}'] },
  tokenBody({ name: 'expired token', method: 'POST', url: URL, before: withToken('users', USER, 'verification', true), status: 400, expect: ['"data":{', '"token":{"code":"validation_invalid_token"'] }),
  tokenBody({ name: 'non-verification token', method: 'POST', url: URL, before: withToken('users', USER, 'passwordReset'), status: 400, expect: ['"data":{', '"token":{"code":"validation_invalid_token"'] }),
  tokenBody({ name: 'non auth collection', method: 'POST', url: '/api/collections/demo1/confirm-verification?expand=rel,missing', before: withToken('users', USER, 'verification'), status: 404, expect: ['"data":{}'] }),
  tokenBody({
    name: 'different auth collection',
    method: 'POST',
    url: '/api/collections/clients/confirm-verification?expand=rel,missing',
    before: withToken('users', USER, 'verification'),
    status: 400,
    expect: ['"data":{"token":{"code":"validation_token_collection_mismatch"'],
  }),
  tokenBody({
    name: 'valid token',
    method: 'POST',
    url: URL,
    before: async (f) => {
      expect((await userRow(f)).verified).toBe(0);
      expect(await linkCount(f)).toBeGreaterThan(0);
      await withToken('users', USER, 'verification')(f);
    },
    status: 204,
    after: async (f) => {
      expect((await userRow(f)).verified).toBe(1);
      expect(await linkCount(f)).toBe(0);
      await restoreUser(f);
    },
  }),
  tokenBody({
    name: 'valid token (disabled password auth)',
    method: 'POST',
    url: URL,
    before: async (f) => {
      expect(await passwordWorks(f, 'users', 'test@example.com', PASSWORD)).toBe(true);
      await f.server.engine.run('DELETE FROM "_mfas"');
      await f.patchCollection('users', { passwordAuth: { enabled: false } });
      await withToken('users', USER, 'verification')(f);
    },
    status: 204,
    after: async (f) => {
      await f.patchCollection('users', { passwordAuth: { enabled: true, identityFields: ['email', 'username'] } });
      expect((await userRow(f)).verified).toBe(1);
      expect(await passwordWorks(f, 'users', 'test@example.com', PASSWORD), 'the pre-set password no longer signs in').toBe(false);
      expect(await linkCount(f)).toBe(0);
      await restoreUser(f);
    },
  }),
  tokenBody({ name: 'valid token (already verified)', method: 'POST', url: URL, before: withToken('users', 'oap640cot4yru2s', 'verification'), status: 204 }),
  tokenBody({
    name: 'valid verification token from a collection without allowed login',
    method: 'POST',
    url: '/api/collections/nologin/confirm-verification',
    before: withToken('nologin', 'dc49k6jgejn40h3', 'verification'),
    status: 204,
  }),
  { name: 'OnRecordConfirmVerificationRequest tx body write check', method: 'POST', url: URL, status: 400, skip: 'binds a Go hook in-process' },
  rateLimitScenario('nologin:confirmVerification', 'POST', '/api/collections/nologin/confirm-verification', undefined, { token: 'x' }),
  rateLimitScenario('*:confirmVerification', 'POST', '/api/collections/nologin/confirm-verification', undefined, { token: 'x' }),
];

describe('PocketBase record_auth_verification_confirm', () => {
  runScenarios(() => fx, scenarios);
});
