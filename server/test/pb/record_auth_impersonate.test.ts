/** PocketBase's `apis/record_auth_impersonate_test.go` scenarios, replayed against Hearth. */
import { afterAll, beforeAll, describe } from 'vitest';
import { startAuthFixture, type AuthFixture } from './auth-fixture.ts';
import { runScenarios, type Scenario } from './auth-scenarios.ts';

let fx: AuthFixture;
beforeAll(async () => {
  fx = await startAuthFixture();
});
afterAll(() => fx?.close());

const URL = '/api/collections/users/impersonate/4q1xlclmfloku33';
const scenarios: Scenario<AuthFixture>[] = [
  { name: 'unauthorized', method: 'POST', url: URL, status: 401, expect: ['"data":{}'] },
  { name: 'authorized as different user', method: 'POST', url: URL, auth: (f) => f.token('users', 'test2@example.com'), status: 403, expect: ['"data":{}'] },
  { name: 'authorized as the same user', method: 'POST', url: URL, auth: (f) => f.token('users', 'test@example.com'), status: 403, expect: ['"data":{}'] },
  {
    name: 'authorized as superuser',
    method: 'POST',
    url: URL,
    auth: (f) => f.adminToken,
    status: 200,
    expect: ['"token":"', '"id":"4q1xlclmfloku33"', '"record":{'],
    notExpect: ['"tokenKey"', '"password"'],
  },
  { name: 'authorized as superuser with custom invalid duration', method: 'POST', url: URL, auth: (f) => f.adminToken, body: { duration: -1 }, status: 400, expect: ['"data":{', '"duration":{'] },
  {
    name: 'authorized as superuser with custom valid duration',
    method: 'POST',
    url: URL,
    auth: (f) => f.adminToken,
    body: { duration: 100 },
    status: 200,
    expect: ['"token":"', '"id":"4q1xlclmfloku33"', '"record":{'],
    after: async (_f, res) => {
      const claims = JSON.parse(Buffer.from(String(res.body.token).split('.')[1]!, 'base64url').toString()) as { exp: number };
      const left = claims.exp - Math.floor(Date.now() / 1000);
      if (left > 100 || left < 90) throw new Error(`expected a 100 s token, got ${left} s left`);
    },
  },
];

describe('PocketBase record_auth_impersonate', () => {
  runScenarios(() => fx, scenarios);
});
