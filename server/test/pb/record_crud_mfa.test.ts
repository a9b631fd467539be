/** PocketBase's `apis/record_crud_mfa_test.go` scenarios, replayed against Hearth. */
import { afterAll, beforeAll, describe } from 'vitest';
import { startAuthFixture, type AuthFixture } from './auth-fixture.ts';
import { runScenarios } from './auth-scenarios.ts';
import { systemCrudScenarios } from './system-crud.ts';

let fx: AuthFixture;
beforeAll(async () => {
  fx = await startAuthFixture();
});
afterAll(() => fx?.close());

/** PocketBase's stubs (tests.StubMFARecords): superusers test2/test3 and users' test@example.com. */
const STUBS = [
  { id: 'superuser2_0', collectionRef: 'pbc_3142635823', recordRef: 'sbmbsdb40jyxf7h', method: 'otp' },
  { id: 'superuser2_1', collectionRef: 'pbc_3142635823', recordRef: 'sbmbsdb40jyxf7h', method: 'otp' },
  { id: 'superuser2_2', collectionRef: 'pbc_3142635823', recordRef: 'sbmbsdb40jyxf7h', method: 'password' },
  { id: 'superuser2_3', collectionRef: 'pbc_3142635823', recordRef: 'sbmbsdb40jyxf7h', method: 'password' },
  { id: 'superuser2_4', collectionRef: 'pbc_3142635823', recordRef: 'sbmbsdb40jyxf7h', method: 'oauth2' },
  { id: 'superuser3_0', collectionRef: 'pbc_3142635823', recordRef: '9q2trqumvlyr3bd', method: 'otp' },
  { id: 'superuser3_1', collectionRef: 'pbc_3142635823', recordRef: '9q2trqumvlyr3bd', method: 'otp' },
  { id: 'user1_0', collectionRef: '_pb_users_auth_', recordRef: '4q1xlclmfloku33', method: 'otp' },
];

const tables = systemCrudScenarios({
  collection: '_mfas',
  rows: STUBS,
  target: 'user1_0',
  owner: 'users',
  nonOwner: 'clients',
  listWith: ['users', 'user1_0'],
  listWithout: 'clients',
  ownerDeletes: false,
  createBody: { recordRef: '4q1xlclmfloku33', collectionRef: '_pb_users_auth_', method: 'abc' },
  createExpect: ['"recordRef":"4q1xlclmfloku33"'],
  updateBody: { method: 'abc' },
  updateExpect: ['"id":"user1_0"'],
  updateRegular: 'users',
});

describe('PocketBase record_crud_mfa', () => {
  for (const [group, scenarios] of Object.entries(tables)) describe(group, () => runScenarios(() => fx, scenarios));
});
