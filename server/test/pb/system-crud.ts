/**
 * PocketBase's crud tests of the auth system collections (`record_crud_external_auth`, `_mfa`,
 * `_otp`, `_auth_origin`) share one shape: list/view by owner, non-owner and guest, delete,
 * create and update by a regular user and a superuser. This builds those scenario tables from
 * a small description; every scenario first restores the collection's rows, as PocketBase runs
 * each scenario on a fresh copy of its fixture.
 */
import type { AuthFixture } from './auth-fixture.ts';
import type { Scenario } from './auth-scenarios.ts';

/** `users` / `clients` are each collection's test@example.com; `users2` is users' test2@example.com. */
type Actor = 'guest' | 'users' | 'users2' | 'clients' | 'superusers';

export interface SystemCrudSpec {
  collection: string;
  /** Rows present before each scenario (written straight to the table: PocketBase's stubs use ids the API would refuse). */
  rows: Record<string, string>[];
  /** The record the view/delete/update scenarios address. */
  target: string;
  owner: Actor;
  nonOwner: Actor;
  /** The list scenarios: an actor with exactly one row (its id) and one without. */
  listWith: [Actor, string];
  listWithout: Actor;
  /** Whether owners may delete (deleteRule = owner rule) or only superusers (null). */
  ownerDeletes: boolean;
  createBody: Record<string, string>;
  createExpect: string[];
  updateBody: Record<string, string>;
  updateExpect: string[];
  /** The actor of the "owner regular auth" update scenario (PocketBase varies it per file). */
  updateRegular: Actor;
}

const token = (actor: Actor) => (f: AuthFixture): string => {
  if (actor === 'superusers') return f.adminToken;
  if (actor === 'guest') return '';
  if (actor === 'users2') return f.token('users', 'test2@example.com');
  return f.token(actor, 'test@example.com');
};

const stamp = () => new Date().toISOString().replace('T', ' ');

function restore(spec: SystemCrudSpec) {
  return async (f: AuthFixture) => {
    const db = f.server.engine;
    await db.run(`DELETE FROM "${spec.collection}"`);
    for (const row of spec.rows) {
      const values: Record<string, string> = { created: stamp(), updated: stamp(), ...row };
      const cols = Object.keys(values);
      await db.run(`INSERT INTO "${spec.collection}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, Object.values(values));
    }
  };
}

const EMPTY_PAGE = ['"page":1', '"perPage":30', '"totalItems":0', '"totalPages":0', '"items":[]'];

export function systemCrudScenarios(spec: SystemCrudSpec): Record<'list' | 'view' | 'delete' | 'create' | 'update', Scenario<AuthFixture>[]> {
  const before = restore(spec);
  const list = `/api/collections/${spec.collection}/records`;
  const one = `${list}/${spec.target}`;
  const as = (actor: Actor) => (actor === 'guest' ? {} : { auth: token(actor) });
  const denied = { expect: ['"data":{}'] };
  const deleteDenied = spec.ownerDeletes ? 404 : 403;
  return {
    list: [
      { name: 'guest', method: 'GET', url: list, before, status: 200, expect: EMPTY_PAGE },
      {
        name: `regular auth with ${spec.collection}`,
        method: 'GET',
        url: list,
        ...as(spec.listWith[0]),
        before,
        status: 200,
        expect: ['"page":1', '"perPage":30', '"totalItems":1', '"totalPages":1', `"id":"${spec.listWith[1]}"`],
      },
      { name: `regular auth without ${spec.collection}`, method: 'GET', url: list, ...as(spec.listWithout), before, status: 200, expect: EMPTY_PAGE },
    ],
    view: [
      { name: 'guest', method: 'GET', url: one, before, status: 404, ...denied },
      { name: 'non-owner', method: 'GET', url: one, ...as(spec.nonOwner), before, status: 404, ...denied },
      { name: 'owner', method: 'GET', url: one, ...as(spec.owner), before, status: 200, expect: [`"id":"${spec.target}"`] },
    ],
    delete: [
      { name: 'guest', method: 'DELETE', url: one, before, status: deleteDenied, ...denied },
      { name: 'non-owner', method: 'DELETE', url: one, ...as(spec.nonOwner), before, status: deleteDenied, ...denied },
      spec.ownerDeletes
        ? { name: 'owner', method: 'DELETE', url: one, ...as(spec.owner), before, status: 204 }
        : { name: 'owner', method: 'DELETE', url: one, ...as(spec.owner), before, status: 403, ...denied },
      ...(spec.ownerDeletes ? [] : [{ name: 'superusers auth', method: 'DELETE', url: one, ...as('superusers'), before, status: 204 } as Scenario<AuthFixture>]),
    ],
    create: [
      { name: 'guest', method: 'POST', url: list, body: spec.createBody, before, status: 403, ...denied },
      { name: 'owner regular auth', method: 'POST', url: list, ...as('users'), body: spec.createBody, before, status: 403, ...denied },
      { name: 'superusers auth', method: 'POST', url: list, ...as('superusers'), body: spec.createBody, before, status: 200, expect: spec.createExpect },
    ],
    update: [
      { name: 'guest', method: 'PATCH', url: one, body: spec.updateBody, before, status: 403, ...denied },
      { name: 'owner regular auth', method: 'PATCH', url: one, ...as(spec.updateRegular), body: spec.updateBody, before, status: 403, ...denied },
      { name: 'superusers auth', method: 'PATCH', url: one, ...as('superusers'), body: spec.updateBody, before, status: 200, expect: spec.updateExpect },
    ],
  };
}

/** PocketBase's MFA and OTP stubs (tests.StubMFARecords, StubOTPRecords) share their ids and owners: superusers test2/test3 and users' test@example.com. */
const ONE_TIME_AUTH_OWNERS = [
  { id: 'superuser2_0', collectionRef: 'pbc_3142635823', recordRef: 'sbmbsdb40jyxf7h' },
  { id: 'superuser2_1', collectionRef: 'pbc_3142635823', recordRef: 'sbmbsdb40jyxf7h' },
  { id: 'superuser2_2', collectionRef: 'pbc_3142635823', recordRef: 'sbmbsdb40jyxf7h' },
  { id: 'superuser2_3', collectionRef: 'pbc_3142635823', recordRef: 'sbmbsdb40jyxf7h' },
  { id: 'superuser2_4', collectionRef: 'pbc_3142635823', recordRef: 'sbmbsdb40jyxf7h' },
  { id: 'superuser3_0', collectionRef: 'pbc_3142635823', recordRef: '9q2trqumvlyr3bd' },
  { id: 'superuser3_1', collectionRef: 'pbc_3142635823', recordRef: '9q2trqumvlyr3bd' },
  { id: 'user1_0', collectionRef: '_pb_users_auth_', recordRef: '4q1xlclmfloku33' },
];

/**
 * `_mfas` and `_otps` have the same owners, rules and scenarios; they differ only in the column
 * their rows carry (`method`, `password`). `stubValues` is that column per stub, in stub order.
 */
export function oneTimeAuthCrudScenarios(collection: '_mfas' | '_otps', column: 'method' | 'password', stubValues: string[]) {
  return systemCrudScenarios({
    collection,
    rows: ONE_TIME_AUTH_OWNERS.map((owner, i) => ({ ...owner, [column]: stubValues[i]! })),
    target: 'user1_0',
    owner: 'users',
    nonOwner: 'clients',
    listWith: ['users', 'user1_0'],
    listWithout: 'clients',
    ownerDeletes: false,
    createBody: { recordRef: '4q1xlclmfloku33', collectionRef: '_pb_users_auth_', [column]: 'abc' },
    createExpect: ['"recordRef":"4q1xlclmfloku33"'],
    updateBody: { [column]: 'abc' },
    updateExpect: ['"id":"user1_0"'],
    updateRegular: 'users',
  });
}
