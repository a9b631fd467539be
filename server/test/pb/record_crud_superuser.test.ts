/** PocketBase's `apis/record_crud_superuser_test.go` scenarios, replayed against Hearth. */
import { afterAll, beforeAll, describe } from 'vitest';
import { PASSWORD, startAuthFixture, type AuthFixture } from './auth-fixture.ts';
import { runScenarios, type Scenario } from './auth-scenarios.ts';

let fx: AuthFixture;
beforeAll(async () => {
  fx = await startAuthFixture();
});
afterAll(() => fx?.close());

const BASE = '/api/collections/_superusers/records';
const user = (f: AuthFixture) => f.token('users', 'test@example.com');
const admin = (f: AuthFixture) => f.adminToken;
const createBody = { email: 'test_new@example.com', password: PASSWORD, passwordConfirm: PASSWORD, verified: false };
const updateBody = { email: 'test_new@example.com', verified: true };

const scenarios: Scenario<AuthFixture>[] = [
  // list
  { name: 'list: guest', method: 'GET', url: BASE, status: 403, expect: ['"data":{}'] },
  { name: 'list: non-superuser auth', method: 'GET', url: BASE, auth: user, status: 403, expect: ['"data":{}'] },
  { name: 'list: superuser auth', method: 'GET', url: BASE, auth: admin, status: 200, expect: ['"page":1', '"perPage":30', '"totalPages":1', '"totalItems":4', '"items":[{'] },
  // view
  { name: 'view: guest', method: 'GET', url: `${BASE}/sywbhecnh46rhm0`, status: 403, expect: ['"data":{}'] },
  { name: 'view: non-superuser auth', method: 'GET', url: `${BASE}/sywbhecnh46rhm0`, auth: user, status: 403, expect: ['"data":{}'] },
  { name: 'view: superuser auth', method: 'GET', url: `${BASE}/sywbhecnh46rhm0`, auth: admin, status: 200, expect: ['"id":"sywbhecnh46rhm0"'] },
  // create
  { name: 'create: guest', method: 'POST', url: BASE, body: createBody, status: 403, expect: ['"data":{}'] },
  { name: 'create: non-superuser auth', method: 'POST', url: BASE, auth: user, body: createBody, status: 403, expect: ['"data":{}'] },
  {
    name: 'create: superuser auth (new superusers are verified)',
    method: 'POST',
    url: BASE,
    auth: admin,
    body: createBody,
    status: 200,
    expect: ['"collectionName":"_superusers"', '"email":"test_new@example.com"', '"verified":true'],
    after: async (f, res) => {
      await f.api('DELETE', `${BASE}/${res.body.id}`, undefined, f.adminToken);
    },
  },
  // update
  { name: 'update: guest', method: 'PATCH', url: `${BASE}/sywbhecnh46rhm0`, body: updateBody, status: 403, expect: ['"data":{}'] },
  { name: 'update: non-superuser auth', method: 'PATCH', url: `${BASE}/sywbhecnh46rhm0`, auth: user, body: updateBody, status: 403, expect: ['"data":{}'] },
  {
    name: 'update: superuser auth',
    method: 'PATCH',
    url: `${BASE}/sbmbsdb40jyxf7h`,
    auth: admin,
    body: updateBody,
    status: 200,
    // PocketBase updates the signed-in superuser itself (each of its scenarios gets a fresh app);
    // a new email ends that record's sessions, so here another superuser is updated and the
    // fixture's admin token stays valid for the scenarios that follow.
    expect: ['"collectionName":"_superusers"', '"id":"sbmbsdb40jyxf7h"', '"email":"test_new@example.com"', '"verified":true'],
  },
  // delete
  { name: 'delete: guest', method: 'DELETE', url: `${BASE}/sbmbsdb40jyxf7h`, status: 403, expect: ['"data":{}'] },
  { name: 'delete: non-superuser auth', method: 'DELETE', url: `${BASE}/sbmbsdb40jyxf7h`, auth: user, status: 403, expect: ['"data":{}'] },
  { name: 'delete: superuser auth', method: 'DELETE', url: `${BASE}/sbmbsdb40jyxf7h`, auth: admin, status: 204 },
  {
    name: 'delete: the last superuser',
    method: 'DELETE',
    url: `${BASE}/sywbhecnh46rhm0`,
    auth: admin,
    before: async (f) => {
      for (const id of ['9q2trqumvlyr3bd', 'q911776rrfy658l']) await f.api('DELETE', `${BASE}/${id}`, undefined, f.adminToken);
    },
    status: 400,
    expect: ['"data":{}'],
    after: async (f) => {
      const left = await f.api('GET', `${BASE}/sywbhecnh46rhm0`, undefined, f.adminToken);
      if (left.status !== 200) throw new Error('the last superuser is gone');
      const truncate = await f.api('DELETE', '/api/collections/_superusers/truncate', undefined, f.adminToken);
      if (truncate.status !== 400) throw new Error(`truncate of _superusers answered ${truncate.status}`);
    },
  },
];

describe('PocketBase record_crud_superuser', () => {
  runScenarios(() => fx, scenarios);
});
