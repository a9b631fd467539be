/**
 * The shared world of the access matrix: collections whose rules use `@request.auth.*` (with a
 * relation path) and `@collection.*`, four actors, records carrying unique markers, and what
 * each actor may see. REST paths are exercised by auth-access-matrix.test.ts; realtime and file
 * paths can join by importing this fixture and adding runners for the same table.
 *
 *   teams   name                                   list/view: members of the team
 *   users   + team → teams, secret (hidden)        list/view: self (PocketBase's default)
 *   docs    title, note, owner → users, team → teams, secret (hidden)
 *           list:   signed in && (owner is me || the doc's team has my team's name)
 *           view:   list rule || shared with me via @collection.shares
 *           create: signed in && owner is me;  update/delete: owner is me
 *   shares  doc → docs, user → users               superusers only
 *   comments doc → docs, text                      public
 */
import { expect } from 'vitest';
import type { TestServer } from './harness.ts';

export type Actor = 'anon' | 'A' | 'B' | 'super';
export const ACTORS: Actor[] = ['anon', 'A', 'B', 'super'];

/** Doc keys: A's, B's, one of team T1 owned by Carl (A's teammate), one Carl shared with B. */
export type DocKey = 'dA' | 'dB' | 'dT1' | 'dShared';
export const DOCS: DocKey[] = ['dA', 'dB', 'dT1', 'dShared'];

/** What each actor may list, and view (view ⊇ list). */
export const CAN_LIST: Record<Actor, DocKey[]> = {
  anon: [],
  A: ['dA', 'dT1'],
  B: ['dB'],
  super: ['dA', 'dB', 'dT1', 'dShared'],
};
export const CAN_VIEW: Record<Actor, DocKey[]> = { ...CAN_LIST, B: ['dB', 'dShared'] };

/** Who may update which doc (owner only: a doc B may view through a share is still not B's): [actor, doc, status]. */
export const UPDATE_ANSWERS = [
  ['anon', 'dA', 404],
  ['B', 'dA', 404],
  ['B', 'dShared', 404],
  ['A', 'dA', 200],
  ['super', 'dB', 200],
] as const;
/** Who may delete a doc of A's (owner only): [actor, status]. */
export const DELETE_ANSWERS = [
  ['anon', 404],
  ['B', 404],
  ['A', 204],
  ['super', 204],
] as const;

export const title = (d: DocKey) => `TITLE-${d}`;
export const docSecret = (d: DocKey) => `SECRET-${d}`;
export const userSecret = (u: string) => `USERSECRET-${u}`;
export const EMAILS: Record<string, string> = { A: 'alice@example.com', B: 'bob@example.com', carl: 'carl@example.com' };
const PASSWORD = 'matrix password';

export interface AccessWorld {
  t: TestServer;
  tokens: Record<Actor, string | undefined>;
  users: Record<'A' | 'B' | 'carl', string>;
  docs: Record<DocKey, string>;
  /** Values that no response may ever contain: password hashes and tokenKeys of every auth record. */
  neverSent(): Promise<string[]>;
}

async function ok(res: Promise<{ status: number; body: any }>): Promise<any> {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

export async function buildAccessWorld(t: TestServer): Promise<AccessWorld> {
  const su = t.adminToken;
  const api = (method: string, path: string, body?: unknown) => ok(t.api(method, path, body, su));
  const teams = await api('POST', '/api/collections', {
    name: 'teams',
    fields: [{ name: 'name', type: 'text' }],
    listRule: 'id = @request.auth.team',
    viewRule: 'id = @request.auth.team',
  });
  const usersCollection = await ok(t.api('GET', '/api/collections/users', undefined, su));
  await api('PATCH', '/api/collections/users', {
    fields: [
      ...usersCollection.fields,
      { name: 'team', type: 'relation', collectionId: teams.id, maxSelect: 1 },
      { name: 'secret', type: 'text', hidden: true },
    ],
  });
  const docs = await api('POST', '/api/collections', {
    name: 'docs',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'note', type: 'text' },
      { name: 'owner', type: 'relation', collectionId: usersCollection.id, maxSelect: 1 },
      { name: 'team', type: 'relation', collectionId: teams.id, maxSelect: 1 },
      { name: 'secret', type: 'text', hidden: true },
    ],
    listRule: '@request.auth.id != "" && (owner = @request.auth.id || (team != "" && team.name = @request.auth.team.name))',
    createRule: '@request.auth.id != "" && @request.body.owner = @request.auth.id',
    updateRule: 'owner = @request.auth.id',
    deleteRule: 'owner = @request.auth.id',
  });
  await api('POST', '/api/collections', {
    name: 'shares',
    fields: [
      { name: 'doc', type: 'relation', collectionId: docs.id, maxSelect: 1 },
      { name: 'user', type: 'relation', collectionId: usersCollection.id, maxSelect: 1 },
    ],
  });
  await api('PATCH', '/api/collections/docs', {
    viewRule:
      '@request.auth.id != "" && (owner = @request.auth.id || (team != "" && team.name = @request.auth.team.name) || ' +
      '(@collection.shares.user ?= @request.auth.id && @collection.shares.doc ?= id))',
  });
  await api('POST', '/api/collections', {
    name: 'comments',
    fields: [
      { name: 'doc', type: 'relation', collectionId: docs.id, maxSelect: 1 },
      { name: 'text', type: 'text' },
    ],
    listRule: '',
    viewRule: '',
  });

  const t1 = (await api('POST', '/api/collections/teams/records', { name: 'T1' })).id;
  const t2 = (await api('POST', '/api/collections/teams/records', { name: 'T2' })).id;
  const users = {} as AccessWorld['users'];
  for (const [key, team] of [['A', t1], ['B', t2], ['carl', t1]] as const) {
    const u = await api('POST', '/api/collections/users/records', {
      email: EMAILS[key],
      password: PASSWORD,
      passwordConfirm: PASSWORD,
      team,
      secret: userSecret(key),
      verified: true,
    });
    users[key] = u.id;
  }
  const docIds = {} as AccessWorld['docs'];
  const owners: Record<DocKey, string> = { dA: users.A, dB: users.B, dT1: users.carl, dShared: users.carl };
  for (const d of DOCS) {
    const body = { title: title(d), owner: owners[d], team: d === 'dT1' ? t1 : '', secret: docSecret(d) };
    docIds[d] = (await api('POST', '/api/collections/docs/records', body)).id;
    await api('POST', '/api/collections/comments/records', { doc: docIds[d], text: `comment on ${d}` });
  }
  await api('POST', '/api/collections/shares/records', { doc: docIds.dShared, user: users.B });

  const tokens: AccessWorld['tokens'] = { anon: undefined, super: su, A: undefined, B: undefined };
  for (const key of ['A', 'B'] as const) {
    const auth = await ok(t.api('POST', '/api/collections/users/auth-with-password', { identity: EMAILS[key], password: PASSWORD }));
    tokens[key] = auth.token;
  }
  return {
    t,
    tokens,
    users,
    docs: docIds,
    neverSent: async () => {
      const values: string[] = [];
      for (const table of ['users', '_superusers']) {
        for (const r of await t.server.engine.all<{ password: string; tokenKey: string }>(`SELECT "password", "tokenKey" FROM "${table}"`)) values.push(r.password, r.tokenKey);
      }
      return values;
    },
  };
}
