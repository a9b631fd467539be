/** PocketBase's `apis/record_auth_methods_test.go` scenarios, replayed against Hearth. */
import { afterAll, beforeAll, describe } from 'vitest';
import { startAuthFixture, type AuthFixture } from './auth-fixture.ts';
import { runScenarios, type Scenario } from './auth-scenarios.ts';

let fx: AuthFixture;
beforeAll(async () => {
  fx = await startAuthFixture();
});
afterAll(() => fx?.close());

const rateLimited = (label: string): Scenario<AuthFixture> => ({
  name: `RateLimit rule - ${label}`,
  method: 'GET',
  url: '/api/collections/nologin/auth-methods',
  // PocketBase blocks with maxRequests 0; Hearth's minimum is 1, so one request spends the budget.
  before: async (f) => {
    const res = await f.api('PATCH', '/api/settings', { rateLimits: { enabled: true, rules: [{ label, maxRequests: 1, duration: 60 }] } }, f.adminToken);
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
    await f.api('GET', '/api/collections/nologin/auth-methods');
  },
  after: (f) => f.api('PATCH', '/api/settings', { rateLimits: { enabled: false } }, f.adminToken).then(() => undefined),
  status: 429,
  expect: ['"data":{}'],
});

const scenarios: Scenario<AuthFixture>[] = [
  { name: 'missing collection', method: 'GET', url: '/api/collections/missing/auth-methods', status: 404, expect: ['"data":{}'] },
  { name: 'non auth collection', method: 'GET', url: '/api/collections/demo1/auth-methods', status: 404, expect: ['"data":{}'] },
  {
    name: 'auth collection with none auth methods allowed',
    method: 'GET',
    url: '/api/collections/nologin/auth-methods',
    status: 200,
    match: {
      password: { identityFields: [], enabled: false },
      oauth2: { providers: [], enabled: false },
      mfa: { enabled: false, duration: 0 },
      otp: { enabled: false, duration: 0 },
    },
  },
  {
    name: 'auth collection with all auth methods allowed',
    method: 'GET',
    url: '/api/collections/users/auth-methods',
    // PocketBase's fixture has gitlab and google; Hearth has no gitlab provider, so google and a
    // generic OIDC one. PocketBase also sends each provider's SVG `logo`; Hearth sends none.
    before: (f) =>
      f.patchCollection('users', {
        oauth2: {
          enabled: true,
          providers: [
            { name: 'google', clientId: 'test', clientSecret: 'test2' },
            { name: 'oidc', clientId: 'test1', clientSecret: 'test2', authURL: 'http://127.0.0.1:1/auth', tokenURL: 'http://127.0.0.1:1/token', userInfoURL: 'http://127.0.0.1:1/me' },
          ],
        },
      }),
    status: 200,
    match: {
      password: { identityFields: ['email', 'username'], enabled: true },
      mfa: { enabled: true, duration: 1800 },
      otp: { enabled: true, duration: 300 },
    },
    expect: ['"oauth2":{', '"providers":[{', '"name":"google"', '"name":"oidc"', '"state":', '"displayName":', '"codeVerifier":', '"codeChallenge":', '"codeChallengeMethod":', '"authURL":', 'redirect_uri="'],
  },
  rateLimited('nologin:listAuthMethods'),
  rateLimited('*:listAuthMethods'),
];

describe('PocketBase record_auth_methods', () => {
  runScenarios(() => fx, scenarios);
});
