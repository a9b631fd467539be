/**
 * Realtime through the SDK against a real server (SPEC §6 WebSocket protocol): events in order,
 * per-user delivery, reconnect + resume with `since` (no lost or duplicated event, both when the
 * client drops and when the server goes away), the `ws` fallback, and liveList equal to a fresh
 * `list`. Skipped while the server does not answer the `/api/realtime/ws` upgrade.
 */
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { rmSync } from 'node:fs';
import { WebSocket as WsWebSocket } from 'ws';
import { filter, type ChangeEvent } from '../src/index.ts';
import type { PostsRecord } from './types/hearth-types.ts';
import { createFixtureCollections, startHearth, supportsWebSocket, waitFor, type TestHearth } from './harness.ts';

let t: TestHearth;
let wsReady = false;
const FAST = { backoff: { initialDelay: 50, maxDelay: 500 }, pingInterval: 1000 };

beforeAll(async () => {
  t = await startHearth();
  await createFixtureCollections(t.admin);
  wsReady = await supportsWebSocket(t.url);
});
let restartedDir: string | undefined;
afterAll(async () => {
  await t?.close();
  if (restartedDir) rmSync(restartedDir, { recursive: true, force: true });
});

const needsWs = (ctx: TestContext) => {
  if (!wsReady) ctx.skip(); // waiting on the server's /api/realtime/ws endpoint
};
const summary = (events: ChangeEvent<{ title?: string; id: string }>[]) => events.map((e) => `${e.action}:${e.record.title}`);

describe('subscribe', () => {
  it('delivers create, update and delete in order, filtered, and stops after unsubscribe', async (ctx) => {
    needsWs(ctx);
    const client = t.client({ realtime: FAST });
    const events: ChangeEvent<PostsRecord>[] = [];
    const unsubscribe = await client.collection('posts').subscribe({ filter: filter`status = ${'published'}` }, (e) => events.push(e as never));
    const posts = t.admin.collection('posts');
    const a = await posts.create({ title: 'a', status: 'published' });
    await posts.create({ title: 'hidden draft', status: 'draft' });
    await posts.update(a.id, { title: 'a2' });
    await posts.delete(a.id);
    await waitFor(() => events.length >= 3, 5000, 'three events');
    expect(summary(events)).toEqual(['create:a', 'update:a2', 'delete:a2']);
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((x, y) => x - y));
    await unsubscribe();
    await posts.create({ title: 'after', status: 'published' });
    await new Promise((r) => setTimeout(r, 200));
    expect(events).toHaveLength(3);
    expect(client.realtime.status).toBe('idle');
  });

  it('follows one record by id and expands relations', async (ctx) => {
    needsWs(ctx);
    const client = t.client({ realtime: FAST });
    const tag = await t.admin.collection('tags').create({ name: 'rt' });
    const post = await t.admin.collection('posts').create({ title: 'one', tags: [tag.id] });
    const events: ChangeEvent<PostsRecord>[] = [];
    const off = await client.collection('posts').subscribe({ recordId: post.id, expand: 'tags' }, (e) => events.push(e as never));
    await t.admin.collection('posts').create({ title: 'other' });
    await t.admin.collection('posts').update(post.id, { views: 3 });
    await waitFor(() => events.length >= 1, 5000, 'the update');
    expect(events[0]).toMatchObject({ action: 'update', record: { id: post.id, views: 3, expand: { tags: [{ name: 'rt' }] } } });
    await off();
  });

  it('delivers to each user only what their rules admit', async (ctx) => {
    needsWs(ctx);
    const users = t.admin.collection('users');
    const ann = await users.create({ email: 'rt-ann@example.com', password: 'password123', passwordConfirm: 'password123' });
    await users.create({ email: 'rt-bob@example.com', password: 'password123', passwordConfirm: 'password123' });
    const annClient = t.client({ realtime: FAST });
    const bobClient = t.client({ realtime: FAST });
    await annClient.auth('users').signIn('rt-ann@example.com', 'password123');
    await bobClient.auth('users').signIn('rt-bob@example.com', 'password123');
    const annSees: string[] = [];
    const bobSees: string[] = [];
    const offA = await annClient.collection('notes').subscribe({}, (e) => annSees.push(String(e.record.text)));
    const offB = await bobClient.collection('notes').subscribe({}, (e) => bobSees.push(String(e.record.text)));
    await annClient.collection('notes').create({ text: 'private to ann', owner: ann.id });
    await waitFor(() => annSees.length === 1, 5000, "ann's note");
    await new Promise((r) => setTimeout(r, 200));
    expect(bobSees).toEqual([]);
    await Promise.all([offA(), offB()]);
  });
  it('re-authenticates the open socket on sign-in and sign-out', async (ctx) => {
    needsWs(ctx);
    const cara = await t.admin.collection('users').create({ email: 'rt-cara@example.com', password: 'password123', passwordConfirm: 'password123' });
    const client = t.client({ realtime: FAST });
    const seen: string[] = [];
    const off = await client.collection('notes').subscribe({}, (e) => seen.push(String(e.record.text)));
    await t.admin.collection('notes').create({ text: 'before sign-in', owner: cara.id });
    await client.auth('users').signIn('rt-cara@example.com', 'password123');
    await new Promise((r) => setTimeout(r, 100));
    await t.admin.collection('notes').create({ text: 'after sign-in', owner: cara.id });
    await waitFor(() => seen.length === 1, 5000, 'the note after sign-in');
    await client.auth('users').signOut();
    await new Promise((r) => setTimeout(r, 300));
    await t.admin.collection('notes').create({ text: 'after sign-out', owner: cara.id });
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual(['after sign-in']);
    await off();
  });
});

describe('reconnect and resume', () => {
  it('loses no event and duplicates none when the connection drops', async (ctx) => {
    needsWs(ctx);
    const client = t.client({ realtime: { ...FAST, backoff: { initialDelay: 300, maxDelay: 300, jitter: 0 } } });
    const seen: string[] = [];
    const off = await client.collection('tags').subscribe({ filter: 'name ~ "drop-"' }, (e) => seen.push(String(e.record.name)));
    await t.admin.collection('tags').create({ name: 'drop-00' });
    await waitFor(() => seen.length === 1, 5000, 'the first event');
    client.realtime.reconnect(); // as if the network failed; reconnects after 300 ms
    const expected = ['drop-00'];
    for (let i = 1; i <= 25; i++) {
      const name = `drop-${String(i).padStart(2, '0')}`;
      expected.push(name);
      await t.admin.collection('tags').create({ name });
    }
    await waitFor(() => seen.length >= expected.length, 10_000, 'the replayed events');
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).toEqual(expected);
    await off();
  });

  it('resumes after the server goes away and comes back', async (ctx) => {
    needsWs(ctx);
    const port = new URL(t.url).port;
    const dir = t.dir;
    const client = t.client({ realtime: { ...FAST, backoff: { initialDelay: 100, maxDelay: 400 } } });
    const seen: string[] = [];
    await client.collection('tags').subscribe({ filter: 'name ~ "restart-"' }, (e) => seen.push(String(e.record.name)));
    await t.admin.collection('tags').create({ name: 'restart-1' });
    await waitFor(() => seen.length === 1, 5000, 'the first event');
    await t.server.close();
    const statuses: string[] = [];
    client.realtime.onStatus((s) => statuses.push(s));
    t = await startHearth({ dir, http: `127.0.0.1:${port}` });
    await t.admin.collection('tags').create({ name: 'restart-2' });
    await t.admin.collection('tags').create({ name: 'restart-3' });
    await waitFor(() => seen.length >= 3, 10_000, 'the events written while away');
    expect(seen).toEqual(['restart-1', 'restart-2', 'restart-3']);
    expect(statuses).toContain('open');
    client.close();
    restartedDir = dir; // the restarted harness does not own the dir: remove it in afterAll
  });

  it('surfaces resync when the log no longer reaches back, and liveList refetches', async (ctx) => {
    needsWs(ctx);
    const client = t.client({ realtime: { ...FAST, backoff: { initialDelay: 300, maxDelay: 300, jitter: 0 } } });
    let resyncs = 0;
    const seen: string[] = [];
    const off = await client.collection('tags').subscribe({ filter: 'name ~ "resync-"', onResync: () => resyncs++ }, (e) => seen.push(String(e.record.name)));
    const live = client.collection('tags').liveList({ filter: 'name ~ "resync-"', sort: 'name' });
    await live.ready;
    await t.admin.collection('tags').create({ name: 'resync-a' });
    await waitFor(() => seen.length === 1 && live.items.length === 1, 5000, 'the first event');
    client.realtime.reconnect();
    await t.admin.collection('tags').create({ name: 'resync-b' });
    await t.admin.collection('tags').create({ name: 'resync-c' });
    await t.server.realtime.prune({ maxRows: 0 }); // the missed changes are gone from the log
    await waitFor(() => resyncs === 1, 5000, 'onResync');
    await waitFor(() => live.items.length === 3, 5000, 'the refetch');
    expect(live.items.map((x) => x.name)).toEqual(['resync-a', 'resync-b', 'resync-c']);
    await t.admin.collection('tags').create({ name: 'resync-d' });
    await waitFor(() => live.items.length === 4 && seen.at(-1) === 'resync-d', 5000, 'live again');
    expect(seen).not.toContain('resync-b'); // missed, and reported through onResync instead
    await Promise.all([off(), live.close()]);
  });

  it('works with the `ws` package where there is no global WebSocket', async (ctx) => {
    needsWs(ctx);
    const client = t.client({ realtime: { ...FAST, WebSocket: WsWebSocket as never } });
    const seen: string[] = [];
    const off = await client.collection('tags').subscribe({ filter: 'name = "via ws"' }, (e) => seen.push(e.action));
    await t.admin.collection('tags').create({ name: 'via ws' });
    await waitFor(() => seen.length === 1, 5000, 'the event');
    await off();
  });

  it('rejects a subscription the server refuses', async (ctx) => {
    needsWs(ctx);
    const client = t.client({ realtime: FAST });
    await expect(client.collection('posts').subscribe({ filter: 'nofield = 1' }, () => undefined)).rejects.toMatchObject({ status: 400 });
  });
});

describe('liveList', () => {
  it('stays equal to a fresh list through creates, updates and deletes', async (ctx) => {
    needsWs(ctx);
    const client = t.client({ realtime: FAST });
    const posts = t.admin.collection('posts');
    const query = { filter: 'title ~ "live-"', sort: '-views', perPage: 5 };
    for (let i = 0; i < 4; i++) await posts.create({ title: `live-${i}`, views: i });
    const live = client.collection('posts').liveList(query);
    await live.ready;
    const fresh = async () => (await posts.list({ ...query, sort: '-views,id' })).items.map((p) => p.id);
    expect(live.items.map((p) => p.id)).toEqual(await fresh());
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    for (let step = 0; step < 40; step++) {
      const all = await posts.listAll({ filter: query.filter });
      const pick = all[rand(Math.max(all.length, 1))];
      const op = rand(3);
      if (op === 0 || !pick) await posts.create({ title: `live-${100 + step}`, views: rand(10) });
      else if (op === 1) await posts.update(pick.id, rand(2) ? { views: rand(10) } : { title: `gone-${step}` });
      else await posts.delete(pick.id);
      const expected = await fresh();
      await waitFor(() => JSON.stringify(live.items.map((p) => p.id)) === JSON.stringify(expected), 5000, `step ${step}`);
    }
    expect(live.totalItems).toBe((await posts.list(query)).totalItems);
    await live.close();
  });
});
