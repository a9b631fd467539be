/**
 * Rules × actors × paths. Each rule is enforced in SQL on list, view, create, update, delete,
 * expand, relation-path filters and batch; nothing the rule forbids leaks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './harness.ts';
import { scalar } from './engine-state.ts';

let t: TestServer;
const tokens: Record<string, string | undefined> = {};
const ids: Record<string, string> = {};
const q = encodeURIComponent;

async function signUp(name: string): Promise<void> {
  const email = `${name.toLowerCase()}@example.com`;
  const created = await t.api('POST', '/api/collections/users/records', { email, password: 'password123', passwordConfirm: 'password123', name });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  ids[name] = created.body.id;
  const auth = await t.api('POST', '/api/collections/users/auth-with-password', { identity: email, password: 'password123' });
  expect(auth.status).toBe(200);
  tokens[name] = auth.body.token;
}

beforeAll(async () => {
  t = await startServer();
  tokens.admin = t.adminToken;
  tokens.anon = undefined;
  await signUp('Alice');
  await signUp('Bob');
  const users = t.server.registry.get('users');
  const notes = await t.api(
    'POST',
    '/api/collections',
    {
      name: 'notes',
      fields: [
        { name: 'title', type: 'text' },
        { name: 'public', type: 'bool' },
        { name: 'owner', type: 'relation', collectionId: users.id, maxSelect: 1 },
      ],
      listRule: 'public = true || owner = @request.auth.id',
      viewRule: 'public = true || owner = @request.auth.id',
      createRule: '@request.auth.id != "" && @request.body.owner = @request.auth.id',
      updateRule: 'owner = @request.auth.id',
      deleteRule: 'owner = @request.auth.id',
    },
    t.adminToken,
  );
  expect(notes.status, JSON.stringify(notes.body)).toBe(200);
  for (const [who, pub] of [['Alice', true], ['Alice', false], ['Bob', false]] as const) {
    const r = await t.api('POST', '/api/collections/notes/records', { title: `${who}-${pub ? 'public' : 'private'}`, public: pub, owner: ids[who] }, tokens[who]);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    ids[`${who}-${pub ? 'public' : 'private'}`] = r.body.id;
  }
  await t.api('POST', '/api/collections', { name: 'vault', fields: [{ name: 'v', type: 'text' }] }, t.adminToken);
  await t.api('POST', '/api/collections/vault/records', { v: 'gold' }, t.adminToken);
});
afterAll(() => t.close());

const titles = (body: { items: Array<{ title: string }> }) => body.items.map((i) => i.title).sort();

describe('list', () => {
  it.each([
    ['anon', ['Alice-public']],
    ['Alice', ['Alice-private', 'Alice-public']],
    ['Bob', ['Alice-public', 'Bob-private']],
    ['admin', ['Alice-private', 'Alice-public', 'Bob-private']],
  ])('%s sees only what listRule admits', async (who, expected) => {
    const res = await t.api('GET', '/api/collections/notes/records', undefined, tokens[who]);
    expect(res.status).toBe(200);
    expect(titles(res.body)).toEqual(expected);
    expect(res.body.totalItems).toBe(expected.length);
  });

  it('a null rule is superusers only (403), not an empty list', async () => {
    expect((await t.api('GET', '/api/collections/vault/records', undefined, tokens.Alice)).status).toBe(403);
    expect((await t.api('GET', '/api/collections/vault/records', undefined, tokens.admin)).body.items).toHaveLength(1);
  });
});

describe('view, update, delete of a hidden row are 404', () => {
  it.each(['anon', 'Bob'])('%s cannot view Alice-private', async (who) => {
    expect((await t.api('GET', `/api/collections/notes/records/${ids['Alice-private']}`, undefined, tokens[who])).status).toBe(404);
  });
  it('Alice can view her private note', async () => {
    expect((await t.api('GET', `/api/collections/notes/records/${ids['Alice-private']}`, undefined, tokens.Alice)).status).toBe(200);
  });
  it('Bob cannot update or delete Alice-public (visible but not his)', async () => {
    const upd = await t.api('PATCH', `/api/collections/notes/records/${ids['Alice-public']}`, { title: 'hacked' }, tokens.Bob);
    expect(upd.status).toBe(404);
    const del = await t.api('DELETE', `/api/collections/notes/records/${ids['Alice-public']}`, undefined, tokens.Bob);
    expect(del.status).toBe(404);
    const still = await t.api('GET', `/api/collections/notes/records/${ids['Alice-public']}`);
    expect(still.body.title).toBe('Alice-public');
  });
});

describe('create', () => {
  it.each([
    ['anon', 'Alice', 400],
    ['Bob', 'Alice', 400],
    ['Bob', 'Bob', 200],
  ] as const)('%s creating a note owned by %s → %i', async (who, owner, status) => {
    const before = await scalar(t.server.engine, 'SELECT COUNT(*) FROM notes');
    const res = await t.api('POST', '/api/collections/notes/records', { title: 'new', owner: ids[owner] }, tokens[who]);
    expect(res.status).toBe(status);
    const after = await scalar(t.server.engine, 'SELECT COUNT(*) FROM notes');
    expect(after).toBe(status === 200 ? Number(before) + 1 : before);
  });
});

describe('filters and expand respect the rules of joined collections', () => {
  it('Bob cannot probe the name of users he cannot list through a relation filter', async () => {
    const res = await t.api('GET', `/api/collections/notes/records?filter=${q('owner.name = "Alice"')}`, undefined, tokens.Bob);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(0);
    const own = await t.api('GET', `/api/collections/notes/records?filter=${q('owner.name = "Bob"')}`, undefined, tokens.Bob);
    expect(titles(own.body)).toContain('Bob-private');
  });

  it('expand omits related records the caller may not view', async () => {
    const res = await t.api('GET', `/api/collections/notes/records/${ids['Alice-public']}?expand=owner`, undefined, tokens.Bob);
    expect(res.status).toBe(200);
    expect(res.body.expand?.owner).toBeUndefined();
    const mine = await t.api('GET', `/api/collections/notes/records/${ids['Alice-public']}?expand=owner`, undefined, tokens.Alice);
    expect(mine.body.expand.owner.name).toBe('Alice');
  });

  it('@collection and @request in a client filter or sort are for superusers only (403, as PocketBase)', async () => {
    const res = await t.api('GET', `/api/collections/notes/records?filter=${q('@collection.vault.v = "gold"')}`, undefined, tokens.Bob);
    expect(res.status).toBe(403);
    const sorted = await t.api('GET', `/api/collections/notes/records?sort=${q('@request.auth.id')}`, undefined, tokens.Bob);
    expect(sorted.status).toBe(403);
    const admin = await t.api('GET', `/api/collections/notes/records?filter=${q('@collection.vault.v = "gold"')}`, undefined, t.adminToken);
    expect(admin.status).toBe(200);
  });
});

describe('request context in rules', () => {
  it('@request.headers and @request.query reach the rule', async () => {
    await t.api(
      'POST',
      '/api/collections',
      { name: 'gated', fields: [{ name: 'v', type: 'text' }], listRule: '@request.headers.x_api_key = "open-sesame" || @request.query.pass = "yes"' },
      t.adminToken,
    );
    await t.api('POST', '/api/collections/gated/records', { v: 'treasure' }, t.adminToken);
    const without = await t.api('GET', '/api/collections/gated/records');
    expect(without.body.items).toHaveLength(0);
    const res = await fetch(`${t.url}/api/collections/gated/records`, { headers: { 'X-Api-Key': 'open-sesame' } });
    expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(1);
    expect((await t.api('GET', '/api/collections/gated/records?pass=yes')).body.items).toHaveLength(1);
    const wrong = await fetch(`${t.url}/api/collections/gated/records`, { headers: { 'X-Api-Key': 'nope' } });
    expect(((await wrong.json()) as { items: unknown[] }).items).toHaveLength(0);
  });
});

describe('batch', () => {
  it('one forbidden operation fails the whole batch', async () => {
    const before = await scalar(t.server.engine, 'SELECT COUNT(*) FROM notes');
    const res = await t.api(
      'POST',
      '/api/batch',
      {
        requests: [
          { method: 'POST', url: '/api/collections/notes/records', body: { title: 'b1', owner: ids.Bob } },
          { method: 'PATCH', url: `/api/collections/notes/records/${ids['Alice-public']}`, body: { title: 'pwned' } },
        ],
      },
      tokens.Bob,
    );
    expect(res.status).toBe(400);
    expect(res.body.data.requests['1'].response.status).toBe(404);
    expect(await scalar(t.server.engine, 'SELECT COUNT(*) FROM notes')).toBe(before);
  });
});

describe('membership rule through @collection', () => {
  it('only members may post to a room', async () => {
    const users = t.server.registry.get('users');
    const rooms = await t.api('POST', '/api/collections', { name: 'rooms', fields: [{ name: 'name', type: 'text' }] }, t.adminToken);
    await t.api(
      'POST',
      '/api/collections',
      {
        name: 'room_members',
        fields: [
          { name: 'user', type: 'relation', collectionId: users.id, maxSelect: 1 },
          { name: 'room', type: 'relation', collectionId: rooms.body.id, maxSelect: 1 },
        ],
      },
      t.adminToken,
    );
    const messages = await t.api(
      'POST',
      '/api/collections',
      {
        name: 'messages',
        fields: [
          { name: 'room', type: 'relation', collectionId: rooms.body.id, maxSelect: 1 },
          { name: 'text', type: 'text' },
        ],
        createRule: '@collection.room_members.user ?= @request.auth.id && @collection.room_members.room ?= @request.body.room',
      },
      t.adminToken,
    );
    expect(messages.status, JSON.stringify(messages.body)).toBe(200);
    const r1 = (await t.api('POST', '/api/collections/rooms/records', { name: 'r1' }, t.adminToken)).body.id;
    const r2 = (await t.api('POST', '/api/collections/rooms/records', { name: 'r2' }, t.adminToken)).body.id;
    await t.api('POST', '/api/collections/room_members/records', { user: ids.Alice, room: r1 }, t.adminToken);
    await t.api('POST', '/api/collections/room_members/records', { user: ids.Bob, room: r2 }, t.adminToken);
    expect((await t.api('POST', '/api/collections/messages/records', { room: r1, text: 'hi' }, tokens.Alice)).status).toBe(200);
    // Bob is a member of some room, and r1 has some member — but not the same row.
    expect((await t.api('POST', '/api/collections/messages/records', { room: r1, text: 'hi' }, tokens.Bob)).status).toBe(400);
    expect((await t.api('POST', '/api/collections/messages/records', { room: r1, text: 'hi' })).status).toBe(400);
  });
});
