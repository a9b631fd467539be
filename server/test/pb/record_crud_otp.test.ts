/** PocketBase's `apis/record_crud_otp_test.go` scenarios, replayed against Hearth. */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { startAuthFixture, type AuthFixture } from './auth-fixture.ts';
import { runScenarios } from './auth-scenarios.ts';
import { systemCrudScenarios } from './system-crud.ts';

let fx: AuthFixture;
beforeAll(async () => {
  fx = await startAuthFixture();
});
afterAll(() => fx?.close());

/** PocketBase's stubs (tests.StubOTPRecords): superusers test2/test3 and users' test@example.com. */
const STUBS = [
  { id: 'superuser2_0', collectionRef: 'pbc_3142635823', recordRef: 'sbmbsdb40jyxf7h', password: 'stub-not-a-hash' },
  { id: 'superuser2_1', collectionRef: 'pbc_3142635823', recordRef: 'sbmbsdb40jyxf7h', password: 'stub-not-a-hash' },
  { id: 'superuser2_2', collectionRef: 'pbc_3142635823', recordRef: 'sbmbsdb40jyxf7h', password: 'stub-not-a-hash' },
  { id: 'superuser2_3', collectionRef: 'pbc_3142635823', recordRef: 'sbmbsdb40jyxf7h', password: 'stub-not-a-hash' },
  { id: 'superuser2_4', collectionRef: 'pbc_3142635823', recordRef: 'sbmbsdb40jyxf7h', password: 'stub-not-a-hash' },
  { id: 'superuser3_0', collectionRef: 'pbc_3142635823', recordRef: '9q2trqumvlyr3bd', password: 'stub-not-a-hash' },
  { id: 'superuser3_1', collectionRef: 'pbc_3142635823', recordRef: '9q2trqumvlyr3bd', password: 'stub-not-a-hash' },
  { id: 'user1_0', collectionRef: '_pb_users_auth_', recordRef: '4q1xlclmfloku33', password: 'stub-not-a-hash' },
];

const tables = systemCrudScenarios({
  collection: '_otps',
  rows: STUBS,
  target: 'user1_0',
  owner: 'users',
  nonOwner: 'clients',
  listWith: ['users', 'user1_0'],
  listWithout: 'clients',
  ownerDeletes: false,
  createBody: { recordRef: '4q1xlclmfloku33', collectionRef: '_pb_users_auth_', password: 'abc' },
  createExpect: ['"recordRef":"4q1xlclmfloku33"'],
  updateBody: { password: 'abc' },
  updateExpect: ['"id":"user1_0"'],
  updateRegular: 'users',
});

// The code a superuser writes is stored as a password hash and never echoed.
tables.create[2]!.notExpect = ['"password"', '"abc"'];
tables.create[2]!.after = async (f, res) => {
  const row = f.server.db.get<{ password: string }>('SELECT "password" FROM "_otps" WHERE "id" = ?', [res.body.id]);
  expect(row?.password).toMatch(/^scrypt\$/);
};

describe('PocketBase record_crud_otp', () => {
  for (const [group, scenarios] of Object.entries(tables)) describe(group, () => runScenarios(() => fx, scenarios));
});
