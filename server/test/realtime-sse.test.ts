/**
 * PocketBase's SSE realtime protocol with the official `pocketbase` SDK, unchanged (Node's
 * EventSource from the `eventsource` package): `subscribe('*')`, `subscribe(id)`, options
 * (filter, expand), per-user rules, anonymous access, and the raw endpoints' errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import PocketBase from 'pocketbase';
import { startRealtimeServer, Waiter, type RtServer } from './realtime-helpers.ts';
import { createCollections, notesCollection, superuserWrites, VAULT_COLLECTION } from './realtime-records.ts';

type Event = { action: string; record: Record<string, any> };
let t: RtServer;
let alice: { id: string; token: string };
let bob: { id: string; token: string };
const clients: PocketBase[] = [];

function sdk(token?: string): PocketBase {
  const pb = new PocketBase(t.url);
  pb.autoCancellation(false);
  if (token) pb.authStore.save(token, null);
  clients.push(pb);
  return pb;
}

function collector() {
  const events: Event[] = [];
  const waiter = new Waiter();
  return {
    events,
    cb: (e: Event) => {
      events.push(e);
      waiter.poke();
    },
    forRecord: (id: string) => waiter.until(() => events.find((e) => e.record.id === id), `event for ${id}`),
    count: (n: number) => waiter.until(() => events.length >= n, `${n} events`),
    seen: () => events.map((e) => `${e.action}:${e.record.title}`),
  };
}

const { create, update, remove } = superuserWrites(() => t);

beforeAll(async () => {
  (globalThis as { EventSource?: unknown }).EventSource = (await import('eventsource')).EventSource;
  t = await startRealtimeServer();
  alice = await t.signUp('Alice');
  bob = await t.signUp('Bob');
  const users = t.server.registry.get('users');
  const authors = await t.api('POST', '/api/collections', { name: 'authors', fields: [{ name: 'name', type: 'text' }], listRule: '', viewRule: '' }, t.adminToken);
  expect(authors.status).toBe(200);
  await createCollections(t, [
    {
      name: 'posts',
      fields: [
        { name: 'title', type: 'text' },
        { name: 'status', type: 'text' },
        { name: 'author', type: 'relation', collectionId: authors.body.id, maxSelect: 1 },
      ],
      listRule: '',
      viewRule: '',
    },
    notesCollection(users.id),
    VAULT_COLLECTION,
  ]);
});
afterAll(async () => {
  for (const pb of clients) await pb.realtime.unsubscribe().catch(() => {});
  await t.close();
});

describe('PocketBase SDK realtime', () => {
  it("subscribe('*') receives create, update and delete in order", async () => {
    const c = collector();
    const unsubscribe = await sdk().collection('posts').subscribe('*', c.cb);
    const a = await create('posts', { title: 'a' });
    await update('posts', a, { title: 'a2' });
    await remove('posts', a);
    await c.count(3);
    expect(c.seen()).toEqual(['create:a', 'update:a2', 'delete:a2']);
    expect(c.events[0]!.record).toMatchObject({ id: a, collectionName: 'posts' });
    await unsubscribe();
  });

  it('subscribe(id) receives only that record', async () => {
    const a = await create('posts', { title: 'one' });
    const b = await create('posts', { title: 'other' });
    const c = collector();
    await sdk().collection('posts').subscribe(a, c.cb);
    await update('posts', b, { title: 'other2' });
    await update('posts', a, { title: 'one2' });
    await c.forRecord(a);
    expect(c.seen()).toEqual(['update:one2']);
  });

  it("user B never receives user A's private records", async () => {
    const ca = collector();
    const cb = collector();
    await sdk(alice.token).collection('notes').subscribe('*', ca.cb);
    await sdk(bob.token).collection('notes').subscribe('*', cb.cb);
    const aPrivate = await create('notes', { title: 'alice-private', owner: alice.id });
    await update('notes', aPrivate, { title: 'alice-private-2' });
    await remove('notes', aPrivate);
    await create('notes', { title: 'public', owner: alice.id, public: true });
    const aBarrier = await create('notes', { title: 'alice-barrier', owner: alice.id });
    const bBarrier = await create('notes', { title: 'bob-barrier', owner: bob.id });
    await ca.forRecord(aBarrier);
    await cb.forRecord(bBarrier);
    expect(ca.seen()).toEqual(['create:alice-private', 'update:alice-private-2', 'delete:alice-private-2', 'create:public', 'create:alice-barrier']);
    expect(cb.seen()).toEqual(['create:public', 'create:bob-barrier']);
  });

  it('anonymous clients see public records only, and nothing of superuser-only collections', async () => {
    const notes = collector();
    const vault = collector();
    const pb = sdk();
    await pb.collection('vault').subscribe('*', vault.cb);
    await pb.collection('notes').subscribe('*', notes.cb);
    await create('vault', { title: 'gold' });
    await create('notes', { title: 'private', owner: bob.id });
    const pub = await create('notes', { title: 'anon-public', public: true });
    await notes.forRecord(pub);
    expect(notes.seen()).toEqual(['create:anon-public']);
    expect(vault.events).toEqual([]);
  });

  it('applies the filter option (moves in and out) and expand', async () => {
    const author = (await t.api('POST', '/api/collections/authors/records', { name: 'Ann' }, t.adminToken)).body.id;
    const c = collector();
    await sdk().collection('posts').subscribe('*', c.cb, { filter: 'status = "published"', expand: 'author' });
    const p = await create('posts', { title: 'p', status: 'draft', author });
    await update('posts', p, { status: 'published' });
    await update('posts', p, { status: 'draft' });
    const q = await create('posts', { title: 'q', status: 'published', author });
    await c.forRecord(q);
    expect(c.seen()).toEqual(['create:p', 'delete:p', 'create:q']);
    expect(c.events[0]!.record.expand.author).toMatchObject({ id: author, name: 'Ann' });
  });
});

describe('filters that use @request.* or @collection.* (as PocketBase)', () => {
  it('match nothing for a non-superuser (filter or sort), and apply for a superuser', async () => {
    const author = (await t.api('POST', '/api/collections/authors/records', { name: 'Rho' }, t.adminToken)).body.id;
    const pb = sdk(alice.token);
    const options = [
      { filter: `title = "rq" && @request.auth.id = "${alice.id}"` },
      { filter: 'title = "rq" && @collection.authors.name = "Rho"' },
      { filter: 'title = "rq"', sort: '@request.auth.id' },
    ];
    const denied = options.map(() => collector());
    for (let i = 0; i < options.length; i++) await pb.collection('posts').subscribe('*', denied[i]!.cb, options[i]);
    const barrier = collector();
    await pb.collection('posts').subscribe('*', barrier.cb, { filter: 'title = "rq-barrier"' });
    const su = collector();
    await sdk(t.adminToken).collection('posts').subscribe('*', su.cb, { filter: 'title = "rq" && @request.auth.id != "" && @collection.authors.name = "Rho" && @request.query.k = "v"', query: { k: 'v' } });
    const id = await create('posts', { title: 'rq', author });
    const after = await create('posts', { title: 'rq-barrier' });
    await su.forRecord(id);
    // One connection delivers changes in order: had the first write matched, it would be here by now.
    await barrier.forRecord(after);
    expect(denied.map((c) => c.events.length)).toEqual([0, 0, 0]);
  });
});

describe('raw SSE endpoints', () => {
  async function connect(): Promise<{ clientId: string; abort: () => void; text: () => string }> {
    const ctrl = new AbortController();
    const res = await fetch(`${t.url}/api/realtime`, { signal: ctrl.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let buf = '';
    while (!buf.includes('\n\n')) buf += new TextDecoder().decode((await reader.read()).value);
    expect(buf).toMatch(/^id:\w+\nevent:PB_CONNECT\ndata:\{"clientId":"\w+"\}\n\n/);
    const clientId = /^id:(\w+)/.exec(buf)![1]!;
    return { clientId, abort: () => ctrl.abort(), text: () => buf };
  }

  it('sets topics (204), refuses unknown clients (404) and a different caller (403)', async () => {
    const { clientId, abort } = await connect();
    const post = (body: unknown, token?: string) => t.api('POST', '/api/realtime', body, token);
    expect((await post({ clientId: 'nope', subscriptions: [] })).status).toBe(404);
    expect((await post({ clientId, subscriptions: ['notes/*'] }, alice.token)).status).toBe(204);
    expect((await post({ clientId, subscriptions: ['notes/*'] }, bob.token)).status).toBe(403);
    expect((await post({ clientId, subscriptions: ['notes/*'] })).status).toBe(403);
    expect((await post({ clientId, subscriptions: 'notes/*' }, alice.token)).status).toBe(400);
    const badFilter = `notes/*?options=${encodeURIComponent(JSON.stringify({ query: { filter: 'nope = 1' } }))}`;
    expect((await post({ clientId, subscriptions: [badFilter] }, alice.token)).status).toBe(400);
    expect((await post({ clientId, subscriptions: ['custom-topic', 'missing/*'] }, alice.token)).status).toBe(204);
    abort();
  });

  it('answers the stream with CORS headers, so an app on another origin can open it', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${t.url}/api/realtime`, { signal: ctrl.signal, headers: { origin: 'http://app.example.com' } });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    ctrl.abort();
  });

  it('GET /api/realtime/ws without an upgrade is 426', async () => {
    expect((await t.api('GET', '/api/realtime/ws')).status).toBe(426);
  });
});
