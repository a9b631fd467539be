/** PocketBase's `apis/record_auth_refresh_test.go` scenarios, replayed against Hearth. */
import { afterAll, beforeAll, describe } from 'vitest';
import { startAuthFixture, type AuthFixture } from './auth-fixture.ts';
import { runScenarios, type Scenario } from './auth-scenarios.ts';

let fx: AuthFixture;
let userToken = '';
let staticToken = '';
beforeAll(async () => {
  fx = await startAuthFixture();
  userToken = fx.token('users', 'test@example.com');
  staticToken = await fx.impersonate('users', '4q1xlclmfloku33');
});
afterAll(() => fx?.close());

const rateLimited = (label: string): Scenario<AuthFixture> => ({
  name: `RateLimit rule - ${label}`,
  method: 'POST',
  url: '/api/collections/users/auth-refresh',
  auth: () => userToken,
  // PocketBase blocks with maxRequests 0; Hearth's minimum is 1, so one request spends the budget.
  before: async (f) => {
    const res = await f.api('PATCH', '/api/settings', { rateLimits: { enabled: true, rules: [{ label, maxRequests: 1, duration: 60 }] } }, f.adminToken);
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
    await f.api('POST', '/api/collections/users/auth-refresh', undefined, userToken);
  },
  after: (f) => f.api('PATCH', '/api/settings', { rateLimits: { enabled: false } }, f.adminToken).then(() => undefined),
  status: 429,
  expect: ['"data":{}'],
});

const scenarios: Scenario<AuthFixture>[] = [
  { name: 'unauthorized', method: 'POST', url: '/api/collections/users/auth-refresh', status: 401, expect: ['"data":{}'] },
  {
    name: 'superuser trying to refresh the auth of another auth collection',
    method: 'POST',
    url: '/api/collections/users/auth-refresh',
    auth: (f) => f.adminToken,
    status: 403,
    expect: ['"data":{}'],
  },
  { name: 'auth record + not an auth collection', method: 'POST', url: '/api/collections/demo1/auth-refresh', auth: () => userToken, status: 403, expect: ['"data":{}'] },
  {
    name: 'auth record + different auth collection',
    method: 'POST',
    url: '/api/collections/clients/auth-refresh?expand=rel,missing',
    auth: () => userToken,
    status: 403,
    expect: ['"data":{}'],
  },
  {
    name: 'auth record + same auth collection as the token',
    method: 'POST',
    url: '/api/collections/users/auth-refresh?expand=rel,missing',
    auth: () => userToken,
    status: 200,
    expect: ['"token":', '"record":', '"id":"4q1xlclmfloku33"', '"emailVisibility":false', '"email":"test@example.com"', '"expand":', '"rel":', '"id":"llvuca81nly1qls"'],
    notExpect: ['"missing":'],
    after: async (_f, res) => {
      if (res.body.token === userToken) throw new Error('expected a different token');
      userToken = res.body.token;
    },
  },
  {
    name: 'auth record + same auth collection as the token but static/unrefreshable',
    method: 'POST',
    url: '/api/collections/users/auth-refresh',
    auth: () => staticToken,
    status: 200,
    expect: ['"record":', '"id":"4q1xlclmfloku33"', '"emailVisibility":false', '"email":"test@example.com"'],
    after: async (_f, res) => {
      if (res.body.token !== staticToken) throw new Error('expected the same token back');
    },
  },
  {
    name: 'unverified auth record in onlyVerified collection',
    method: 'POST',
    url: '/api/collections/clients/auth-refresh',
    auth: (f) => f.token('clients', 'test2@example.com'),
    // The fixture signed this record in before `authRule: verified=true` was set.
    status: 403,
    expect: ['"data":{}'],
  },
  {
    name: 'verified auth record in onlyVerified collection',
    method: 'POST',
    url: '/api/collections/clients/auth-refresh',
    auth: (f) => f.token('clients', 'test@example.com'),
    status: 200,
    expect: ['"token":', '"record":', '"id":"gk390qegs4y47wn"', '"verified":true', '"email":"test@example.com"'],
  },
  { name: 'OnRecordAuthRefreshRequest tx body write check', method: 'POST', url: '/api/collections/users/auth-refresh', status: 400, skip: 'binds a Go hook in-process' },
  rateLimited('users:authRefresh'),
  rateLimited('*:authRefresh'),
];

describe('PocketBase record_auth_refresh', () => {
  runScenarios(() => fx, scenarios);
});
