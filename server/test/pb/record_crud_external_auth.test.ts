/** PocketBase's `apis/record_crud_external_auth_test.go` scenarios, replayed against Hearth. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import PocketBase from 'pocketbase';
import { startAuthFixture, SYSTEM_ROWS, type AuthFixture } from './auth-fixture.ts';
import { runScenarios } from './auth-scenarios.ts';
import { systemCrudScenarios } from './system-crud.ts';

let fx: AuthFixture;
beforeAll(async () => {
  fx = await startAuthFixture();
});
afterAll(() => fx?.close());

const tables = systemCrudScenarios({
  collection: '_externalAuths',
  rows: SYSTEM_ROWS._externalAuths,
  target: 'dlmflokuq1xl342',
  owner: 'users',
  nonOwner: 'clients',
  listWith: ['clients', 'f1z5b3843pzc964'],
  listWithout: 'users2',
  ownerDeletes: true,
  createBody: { recordRef: '4q1xlclmfloku33', collectionRef: '_pb_users_auth_', provider: 'github', providerId: 'abc' },
  createExpect: ['"recordRef":"4q1xlclmfloku33"', '"providerId":"abc"'],
  updateBody: { providerId: 'abc' },
  updateExpect: ['"id":"dlmflokuq1xl342"', '"providerId":"abc"'],
  updateRegular: 'clients',
});

describe('PocketBase record_crud_external_auth', () => {
  for (const [group, scenarios] of Object.entries(tables)) describe(group, () => runScenarios(() => fx, scenarios));
});

describe('PocketBase SDK over _externalAuths', () => {
  it('listExternalAuths shows only the caller\'s links, and unlinkExternalAuth removes one', async () => {
    const pb = new PocketBase(fx.url);
    pb.autoCancellation(false);
    pb.authStore.save(fx.token('users', 'test@example.com'));
    const before = await pb.collection('users').listExternalAuths('4q1xlclmfloku33');
    expect(before.map((l) => l.provider).sort()).toEqual(['gitlab', 'google']);
    expect(before.map((l) => l.id).sort()).toEqual(['clmflokuq1xl341', 'dlmflokuq1xl342']);
    // Another record's links are not listed, even when asked for by id.
    expect(await pb.collection('users').listExternalAuths('bgs820n361vj1qd')).toEqual([]);
    await pb.collection('users').unlinkExternalAuth('4q1xlclmfloku33', 'google');
    const after = await pb.collection('users').listExternalAuths('4q1xlclmfloku33');
    expect(after.map((l) => l.id)).toEqual(['dlmflokuq1xl342']);
    await expect(pb.collection('users').unlinkExternalAuth('bgs820n361vj1qd', 'github')).rejects.toMatchObject({ status: 404 });
  });
});
