/**
 * Hearth's WebSocket realtime protocol against a real server: ordering, per-user rules, filters
 * moving records in and out, resume with `since`, resync, auth ending, protocol limits.
 * "Never receives" is asserted with barriers: a later write the client does receive proves every
 * earlier change was already decided for it (changes reach a connection in seq order).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { scalar } from './engine-state.ts';
import { startRealtimeServer, WsClient, type Msg, type RtServer } from './realtime-helpers.ts';
import { createCollections, notesCollection, superuserWrites, VAULT_COLLECTION } from './realtime-records.ts';

let t: RtServer;
let alice: { id: string; token: string };
let bob: { id: string; token: string };
const open: WsClient[] = [];

async function client(token?: string): Promise<WsClient> {
  const c = await WsClient.open(t.wsUrl);
  open.push(c);
  if (token) await c.auth(token);
  return c;
}

const { create, update, remove } = superuserWrites(() => t);
const seen = (msgs: Msg[]) => msgs.map((m) => `${m.action}:${m.record.title ?? m.record.id}`);
const waitChange = (c: WsClient, id: string, recordId: string) =>
  c.next((m) => m.type === 'change' && m.id === id && m.record.id === recordId, `change of ${recordId} on ${id}`);

beforeAll(async () => {
  t = await startRealtimeServer({ replayChunk: 5, authCheckMs: 100, maxSubscriptions: 6, maxMessageBytes: 8192 });
  alice = await t.signUp('Alice');
  bob = await t.signUp('Bob');
  const users = t.server.registry.get('users');
  const open = { listRule: '', viewRule: '', createRule: '', updateRule: '', deleteRule: '' };
  await createCollections(t, [
    { name: 'posts', fields: [{ name: 'title', type: 'text' }, { name: 'status', type: 'text' }], ...open },
    notesCollection(users.id),
    VAULT_COLLECTION,
  ]);
});
afterAll(async () => {
  for (const c of open) c.close();
  await t.close();
});

describe('delivery', () => {
  it('delivers create, update and delete in commit order', async () => {
    const c = await client();
    expect((await c.subscribe({ id: 'p', collection: 'posts' })).type).toBe('subscribed');
    const a = await create('posts', { title: 'a' });
    const b = await create('posts', { title: 'b' });
    await update('posts', a, { title: 'a2' });
    await remove('posts', b);
    await remove('posts', a);
    await c.until(() => c.changes('p').length >= 5, 'five changes');
    const changes = c.changes('p');
    expect(seen(changes)).toEqual(['create:a', 'create:b', 'update:a2', 'delete:b', 'delete:a2']);
    const seqs = changes.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(changes[0]!.record).toMatchObject({ id: a, collectionName: 'posts' });
  });

  it('user B never receives user A\'s private records', async () => {
    const ca = await client(alice.token);
    const cb = await client(bob.token);
    await ca.subscribe({ id: 'n', collection: 'notes' });
    await cb.subscribe({ id: 'n', collection: 'notes' });
    const aPrivate = await create('notes', { title: 'alice-private', owner: alice.id });
    const bPrivate = await create('notes', { title: 'bob-private', owner: bob.id });
    const aPublic = await create('notes', { title: 'alice-public', owner: alice.id, public: true });
    await update('notes', aPrivate, { title: 'alice-private-2' });
    await remove('notes', aPrivate);
    const aBarrier = await create('notes', { title: 'alice-barrier', owner: alice.id });
    const bBarrier = await create('notes', { title: 'bob-barrier', owner: bob.id });
    await waitChange(ca, 'n', aBarrier);
    await waitChange(cb, 'n', bBarrier);
    expect(seen(ca.changes('n'))).toEqual([
      'create:alice-private',
      'create:alice-public',
      'update:alice-private-2',
      'delete:alice-private-2',
      'create:alice-barrier',
    ]);
    expect(seen(cb.changes('n'))).toEqual(['create:bob-private', 'create:alice-public', 'create:bob-barrier']);
    expect(cb.changes().some((m) => m.record.id === aPrivate)).toBe(false);
    void bPrivate;
    void aPublic;
  });

  it('an auth collection streams only what its rules admit (users: own record only, email of others hidden)', async () => {
    const cb = await client(bob.token);
    await cb.subscribe({ id: 'u', collection: 'users' });
    const ra = await t.api('PATCH', `/api/collections/users/records/${alice.id}`, { name: 'Alice A.' }, alice.token);
    expect(ra.status).toBe(200);
    const rb = await t.api('PATCH', `/api/collections/users/records/${bob.id}`, { name: 'Bob B.' }, bob.token);
    expect(rb.status).toBe(200);
    const own = await waitChange(cb, 'u', bob.id);
    expect(own.record).toMatchObject({ name: 'Bob B.', email: 'bob@example.com' });
    expect(own.record.password).toBeUndefined();
    expect(own.record.tokenKey).toBeUndefined();
    expect(cb.changes('u').map((m) => m.record.id)).toEqual([bob.id]);
  });

  it('anonymous sees only public records and cannot subscribe to superuser-only collections', async () => {
    const c = await client();
    const denied = await c.subscribe({ id: 'v', collection: 'vault' });
    expect(denied).toMatchObject({ type: 'error', id: 'v', status: 403 });
    await c.subscribe({ id: 'n', collection: 'notes' });
    await create('notes', { title: 'private', owner: alice.id });
    const pub = await create('notes', { title: 'public', owner: alice.id, public: true });
    await waitChange(c, 'n', pub);
    expect(seen(c.changes())).toEqual(['create:public']);
  });

  it('a superuser receives everything, including superuser-only collections', async () => {
    const c = await client(t.adminToken);
    expect((await c.subscribe({ id: 'v', collection: 'vault' })).type).toBe('subscribed');
    const v = await create('vault', { title: 'gold' });
    expect((await waitChange(c, 'v', v)).record.title).toBe('gold');
  });

  it('a single-record subscription follows that record under its viewRule', async () => {
    const mine = await create('notes', { title: 'bob-one', owner: bob.id });
    const theirs = await create('notes', { title: 'alice-one', owner: alice.id });
    const cb = await client(bob.token);
    await cb.subscribe({ id: 'theirs', collection: 'notes', recordId: theirs });
    await cb.subscribe({ id: 'mine', collection: 'notes', recordId: mine });
    await update('notes', theirs, { title: 'alice-one-2' });
    await update('notes', mine, { title: 'bob-one-2' });
    await update('notes', mine, { title: 'bob-one-3' });
    await cb.until(() => cb.changes('mine').length === 2, 'two changes of mine');
    expect(seen(cb.changes('mine'))).toEqual(['update:bob-one-2', 'update:bob-one-3']);
    expect(cb.changes('theirs')).toEqual([]);
  });

  it('an update out of the filter is a delete; into it, a create', async () => {
    const c = await client();
    await c.subscribe({ id: 'pub', collection: 'posts', filter: 'status = "published"' });
    const a = await create('posts', { title: 'a', status: 'draft' });
    await update('posts', a, { status: 'published' });
    await update('posts', a, { title: 'a-edited' });
    await update('posts', a, { status: 'draft' });
    await remove('posts', a);
    const b = await create('posts', { title: 'b', status: 'published' });
    await waitChange(c, 'pub', b);
    const changes = c.changes('pub');
    expect(seen(changes)).toEqual(['create:a', 'update:a-edited', 'delete:a-edited', 'create:b']);
    expect(changes[2]!.record.status).toBe('published'); // the state the client had, not the hidden new one
  });

  it('expands relations with the subscriber\'s rules', async () => {
    const c = await client(bob.token);
    // As PocketBase, only superusers may filter by @request.* / @collection.*.
    expect(await c.subscribe({ id: 'r', collection: 'notes', filter: 'owner = @request.auth.id' })).toMatchObject({ type: 'error', status: 403 });
    const res = await c.subscribe({ id: 'x', collection: 'notes', expand: 'owner', filter: `owner = "${bob.id}"` });
    expect(res.type).toBe('subscribed');
    const n = await create('notes', { title: 'with-owner', owner: bob.id });
    const m = await waitChange(c, 'x', n);
    expect(m.record.expand.owner).toMatchObject({ id: bob.id, name: 'Bob B.' });
  });
});

describe('resume', () => {
  it('replays exactly the changes after `since`, once each, in order, then goes live', async () => {
    const first = await client();
    await first.subscribe({ id: 'r', collection: 'posts' });
    const x = await create('posts', { title: 'before-drop' });
    const since = (await waitChange(first, 'r', x)).seq;
    first.close();
    await first.waitClosed();

    const offline: string[] = [];
    for (let i = 0; i < 25; i++) offline.push(await create('posts', { title: `offline-${i}` }));

    const second = await client();
    second.send({ type: 'subscribe', id: 'r', collection: 'posts', since });
    // Writes racing the replay: each must arrive once, after the replayed ones.
    const racing: string[] = [];
    for (let i = 0; i < 5; i++) racing.push(await create('posts', { title: `racing-${i}` }));
    await second.until(() => second.changes('r').length >= 30, 'thirty changes');
    const live = await create('posts', { title: 'live' });
    await waitChange(second, 'r', live);

    const changes = second.changes('r');
    expect(changes.map((m) => m.record.id)).toEqual([...offline, ...racing, live]);
    expect(changes.every((m) => m.action === 'create')).toBe(true);
    const seqs = changes.map((m) => m.seq);
    expect(seqs[0]).toBeGreaterThan(since);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]);
    expect(second.messages.findIndex((m) => m.type === 'subscribed')).toBeLessThan(second.messages.findIndex((m) => m.type === 'change'));
  });

  it('replays rule-checked: a user resuming gets only their own records', async () => {
    // The last committed seq (on PostgreSQL the hub's latestSeq() is what its feed has read so far).
    const seq = Number(await scalar(t.server.engine, 'SELECT COALESCE(MAX("seq"), 0) FROM "_changes"'));
    const aliceNote = await create('notes', { title: 'alice-offline', owner: alice.id });
    const bobNote = await create('notes', { title: 'bob-offline', owner: bob.id });
    const cb = await client(bob.token);
    await cb.subscribe({ id: 'n', collection: 'notes', since: seq });
    await waitChange(cb, 'n', bobNote);
    expect(cb.changes('n').map((m) => m.record.id)).toEqual([bobNote]);
    void aliceNote;
  });
});

describe('auth', () => {
  it('authenticates with the Authorization header on upgrade, and refuses an invalid one', async () => {
    const c = await WsClient.open(t.wsUrl, { authorization: bob.token });
    open.push(c);
    await c.subscribe({ id: 'n', collection: 'notes' });
    const n = await create('notes', { title: 'bob-header', owner: bob.id });
    await waitChange(c, 'n', n);
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(t.wsUrl, { headers: { authorization: 'not-a-token' } });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => {});
    });
    expect(status).toBe(401);
  });

  it('an invalid auth message is an error and leaves the connection anonymous', async () => {
    const c = await client();
    c.send({ type: 'auth', token: 'nope' });
    expect(await c.next((m) => m.type === 'error', 'error')).toMatchObject({ status: 401 });
  });

  it('revoking the session ends the stream (close 4401)', async () => {
    const carol = await t.signUp('Carol');
    const c = await client(carol.token);
    await c.subscribe({ id: 'u', collection: 'users' });
    await t.server.sessions.revokeAll(t.server.registry.get('users').id, carol.id);
    expect(await c.waitClosed()).toBe(4401);
  });
});

describe('limits and errors', () => {
  it('answers malformed and invalid messages with errors', async () => {
    const c = await client();
    c.ws.send('not json');
    expect(await c.next((m) => m.type === 'error', 'json error')).toMatchObject({ status: 400 });
    expect(await c.subscribe({ id: 'x', collection: 'nope' })).toMatchObject({ type: 'error', status: 404 });
    expect(await c.subscribe({ id: 'y', collection: 'posts', filter: 'missing_field = 1' })).toMatchObject({ type: 'error', status: 400 });
    expect(await c.subscribe({ id: 'z', collection: 'posts', since: -1 })).toMatchObject({ type: 'error', status: 400 });
    c.send({ type: 'ping' });
    expect(await c.next((m) => m.type === 'pong', 'pong')).toMatchObject({ type: 'pong' });
    c.send({ type: 'what' });
    await c.until(() => c.messages.filter((m) => m.type === 'error').length === 5, 'unknown type error');
  });

  it('limits subscriptions per connection', async () => {
    const c = await client();
    for (let i = 0; i < 6; i++) expect((await c.subscribe({ id: `s${i}`, collection: 'posts' })).type).toBe('subscribed');
    expect(await c.subscribe({ id: 's6', collection: 'posts' })).toMatchObject({ type: 'error', status: 400 });
    expect(await c.subscribe({ id: 's0', collection: 'posts' })).toMatchObject({ type: 'error', status: 400 }); // duplicate id
    c.send({ type: 'unsubscribe', id: 's0' });
    c.send({ type: 'subscribe', id: 'again', collection: 'posts' });
    await c.next((m) => m.type === 'subscribed' && m.id === 'again', 'room after unsubscribe');
  });

  it('closes the connection on an oversized message (1009)', async () => {
    const c = await client();
    c.ws.send(JSON.stringify({ type: 'subscribe', id: 'big', collection: 'posts', filter: 'x'.repeat(10_000) }));
    expect(await c.waitClosed()).toBe(1009);
  });
});

describe('retention', () => {
  it('asks for a resync when `since` is older than the retained log, then goes live', async () => {
    for (let i = 0; i < 5; i++) await create('posts', { title: `old-${i}` });
    expect(await t.server.realtime.prune({ maxRows: 2 })).toBeGreaterThan(0);
    const c = await client();
    c.send({ type: 'subscribe', id: 'old', collection: 'posts', since: 1 });
    await c.next((m) => m.type === 'resync' && m.id === 'old', 'resync');
    expect(c.changes('old')).toEqual([]);
    const after = await create('posts', { title: 'after-resync' });
    await waitChange(c, 'old', after);
    c.send({ type: 'subscribe', id: 'future', collection: 'posts', since: t.server.realtime.hub.latestSeq() + 1000 });
    await c.next((m) => m.type === 'resync' && m.id === 'future', 'resync for a future seq');
  });
});
