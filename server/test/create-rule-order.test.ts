/**
 * The createRule is judged against the database with the new record in it. A rule that reads only
 * other tables is evaluated with the relation checks (before the INSERT, where it has the same
 * verdict); one that reads the collection itself — directly or through a view — must still see
 * the new row. A missing relation stays a field error even when the rule refuses too, and a
 * refused create leaves nothing behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scalar } from './engine-state.ts';
import { startServer, type TestServer } from './harness.ts';

let t: TestServer;
let token = '';
let userId = '';
let room = '';
let otherRoom = '';
const PASSWORD = 'password 12345';
const LIGHT_SCRYPT = { N: 2 ** 12, r: 8, p: 1 };

async function collection(body: Record<string, unknown>): Promise<void> {
  const res = await t.api('POST', '/api/collections', body, t.adminToken);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

beforeAll(async () => {
  t = await startServer({ passwordParams: LIGHT_SCRYPT });
  expect((await t.api('PATCH', '/api/settings', { rateLimits: { enabled: false } }, t.adminToken)).status).toBe(200);
  const users = t.server.registry.get('users');
  const created = await t.api('POST', '/api/collections/users/records', { email: 'order@example.com', password: PASSWORD, passwordConfirm: PASSWORD });
  userId = created.body.id;
  token = (await t.api('POST', '/api/collections/users/auth-with-password', { identity: 'order@example.com', password: PASSWORD })).body.token;

  await collection({ name: 'own_first', fields: [{ name: 'owner', type: 'relation', collectionId: users.id, maxSelect: 1 }], createRule: '@collection.own_first.owner ?= @request.auth.id' });
  await collection({ name: 'viewed', fields: [{ name: 'owner', type: 'relation', collectionId: users.id, maxSelect: 1 }] });
  await collection({ name: 'viewed_owners', type: 'view', viewQuery: 'SELECT id, owner FROM viewed', listRule: '' });
  const ruled = await t.api('PATCH', '/api/collections/viewed', { createRule: '@collection.viewed_owners.owner ?= @request.auth.id' }, t.adminToken);
  expect(ruled.status, JSON.stringify(ruled.body)).toBe(200);
  await collection({ name: 'rooms', fields: [{ name: 'title', type: 'text' }] });
  const rooms = t.server.registry.get('rooms');
  await collection({
    name: 'members',
    fields: [
      { name: 'user', type: 'relation', collectionId: users.id, maxSelect: 1 },
      { name: 'room', type: 'relation', collectionId: rooms.id, maxSelect: 1 },
    ],
  });
  await collection({
    name: 'posts',
    fields: [
      { name: 'room', type: 'relation', collectionId: rooms.id, maxSelect: 1 },
      { name: 'text', type: 'text' },
    ],
    createRule: '@collection.members.user ?= @request.auth.id && @collection.members.room ?= @request.body.room',
  });
  room = (await t.api('POST', '/api/collections/rooms/records', { title: 'mine' }, t.adminToken)).body.id;
  otherRoom = (await t.api('POST', '/api/collections/rooms/records', { title: 'theirs' }, t.adminToken)).body.id;
  await t.api('POST', '/api/collections/members/records', { user: userId, room }, t.adminToken);
});
afterAll(() => t.close());

const count = async (table: string): Promise<number> => Number(await scalar(t.server.engine, `SELECT COUNT(*) AS n FROM "${table}"`));

describe('createRule', () => {
  it('that reads the collection itself sees the new record', async () => {
    const res = await t.api('POST', '/api/collections/own_first/records', { owner: userId }, token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it('that reads a view over the collection sees the new record', async () => {
    const res = await t.api('POST', '/api/collections/viewed/records', { owner: userId }, token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it('about other tables admits a member and refuses anyone else, writing nothing', async () => {
    expect((await t.api('POST', '/api/collections/posts/records', { room, text: 'hi' }, token)).status).toBe(200);
    const before = await count('posts');
    const refused = await t.api('POST', '/api/collections/posts/records', { room: otherRoom, text: 'hi' }, token);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ message: 'Failed to create record.', data: {} });
    expect(await count('posts')).toBe(before);
  });

  it('refusing as well leaves a missing relation reported as its field error', async () => {
    const res = await t.api('POST', '/api/collections/posts/records', { room: 'nosuchroom12345', text: 'hi' }, token);
    expect(res.status).toBe(400);
    expect(res.body.data.room.code).toBe('validation_missing_rel_records');
  });
});
