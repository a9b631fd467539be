/** PocketBase's `apis/record_crud_auth_origin_test.go` scenarios, replayed against Hearth. */
import { afterAll, beforeAll, describe } from 'vitest';
import { startAuthFixture, SYSTEM_ROWS, type AuthFixture } from './auth-fixture.ts';
import { runScenarios } from './auth-scenarios.ts';
import { systemCrudScenarios } from './system-crud.ts';

let fx: AuthFixture;
beforeAll(async () => {
  fx = await startAuthFixture();
});
afterAll(() => fx?.close());

const tables = systemCrudScenarios({
  collection: '_authOrigins',
  rows: SYSTEM_ROWS._authOrigins,
  target: '9r2j0m74260ur8i',
  owner: 'clients',
  nonOwner: 'users',
  listWith: ['clients', '9r2j0m74260ur8i'],
  listWithout: 'users',
  ownerDeletes: true,
  createBody: { recordRef: '4q1xlclmfloku33', collectionRef: '_pb_users_auth_', fingerprint: 'abc' },
  createExpect: ['"recordRef":"4q1xlclmfloku33"', '"fingerprint":"abc"'],
  updateBody: { fingerprint: 'abc' },
  updateExpect: ['"id":"9r2j0m74260ur8i"', '"fingerprint":"abc"'],
  updateRegular: 'clients',
});

describe('PocketBase record_crud_auth_origin', () => {
  for (const [group, scenarios] of Object.entries(tables)) describe(group, () => runScenarios(() => fx, scenarios));
});
