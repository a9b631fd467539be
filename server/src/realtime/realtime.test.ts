/**
 * The realtime core without sockets: a real server (not listening) over a real SQLite file, with a
 * transport that records what it is sent. Covers the replay/live hand-over, the change log's
 * retention and gap detection, and SSE topic parsing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type HearthServer } from '../main.ts';
import { anonymousRequest } from '../rules/index.ts';
import { pruneChanges } from './retention.ts';
import { parseTopic } from './sse-protocol.ts';

let dir: string;
let server: HearthServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hearth-rt-core-'));
  server = createServer({ dir, logLevel: 'silent', realtime: { replayChunk: 3 } });
  await server.collections.create({
    name: 'posts',
    type: 'base',
    fields: [{ name: 'title', type: 'text' }],
    listRule: '',
    viewRule: '',
    createRule: '',
    updateRule: '',
    deleteRule: '',
  } as never);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (title: string) => server.records.create('posts', { title }, {}, anonymousRequest('POST'));

function recordingConnection() {
  const sent: Array<Record<string, any>> = [];
  const { conn, session } = server.realtime.openWs({
    transport: { send: (frame) => sent.push(JSON.parse(typeof frame === 'string' ? frame : Buffer.from(frame).toString('utf8'))), bufferedAmount: () => 0, close() {} },
    query: {},
    headers: {},
  });
  session.start();
  return { conn, session, sent, changes: () => sent.filter((m) => m.type === 'change') };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !check(); i++) await new Promise((r) => setImmediate(r));
  if (!check()) throw new Error(`gave up waiting for ${what}`);
}

describe('replay to live hand-over', () => {
  it('delivers a change committed while the replay is pending exactly once', async () => {
    const since = server.realtime.feed.latestSeq();
    await post('old');
    await new Promise((r) => setImmediate(r)); // let the feed drain 'old': nothing pending now
    const c = recordingConnection();
    c.session.handle(JSON.stringify({ type: 'subscribe', id: 's', collection: 'posts', since }));
    // Committed now: both the replay and the feed's drain are pending, the replay first. The
    // replay reads it from the log (one step: fewer than replayChunk entries) and turns live; the
    // feed then dispatches it to the now-live subscription again: it must be deduped by seq.
    const racing = await post('racing');
    await until(() => c.changes().some((m) => m.record.id === racing.id), 'the racing change');
    const barrier = await post('barrier');
    await until(() => c.changes().some((m) => m.record.id === barrier.id), 'the barrier');
    const titles = c.changes().map((m) => m.record.title);
    expect(titles).toEqual(['old', 'racing', 'barrier']);
    c.conn.close(1000, '');
  });
});

describe('change log', () => {
  it('stores a snapshot per change, without secrets', () => {
    const row = server.db.get<{ data: string }>(
      `SELECT "data" FROM "_changes" WHERE "collectionId" = ? ORDER BY "seq" DESC LIMIT 1`,
      [server.registry.get('users').id],
    );
    if (row) expect(JSON.parse(row.data)).not.toHaveProperty('password');
    const last = server.db.get<{ data: string; action: string }>('SELECT "data", "action" FROM "_changes" ORDER BY "seq" DESC LIMIT 1');
    expect(last?.action).toBe('create');
    expect(JSON.parse(last!.data)).toMatchObject({ title: 'barrier' });
  });

  it('reads an update with the state before it', async () => {
    const p = await post('before');
    const seq = server.realtime.feed.latestSeq();
    await server.records.update('posts', p.id as string, { title: 'after' }, {}, anonymousRequest('PATCH'));
    const { changes, gap } = await server.realtime.feed.readSince(seq, 10);
    expect(gap).toBe(false);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ action: 'update', record: { title: 'after' }, previous: { title: 'before' } });
  });

  it('prunes by count and by age, and reports a gap for a seq no longer retained', async () => {
    for (let i = 0; i < 10; i++) await post(`bulk-${i}`);
    const latest = server.realtime.feed.latestSeq();
    expect(await server.realtime.feed.readSince(latest - 5, 100)).toMatchObject({ gap: false });
    await pruneChanges(server.engine, { maxRows: 4, maxAgeMs: 365 * 24 * 3600_000 });
    const count = server.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM "_changes"')!.n;
    expect(count).toBe(4);
    expect(await server.realtime.feed.readSince(latest - 4, 100)).toMatchObject({ gap: false });
    expect((await server.realtime.feed.readSince(latest - 4, 100)).changes).toHaveLength(4);
    expect(await server.realtime.feed.readSince(latest - 5, 100)).toMatchObject({ gap: true, changes: [] });
    expect(await server.realtime.feed.readSince(latest + 1, 100)).toMatchObject({ gap: true });
    expect(await server.realtime.feed.readSince(latest, 100)).toMatchObject({ gap: false, changes: [] });
    // Age: everything is older than "now + 1 day" minus a zero-length window.
    await pruneChanges(server.engine, { maxRows: 1000, maxAgeMs: -24 * 3600_000 });
    expect(server.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM "_changes"')!.n).toBe(0);
    expect(server.realtime.feed.latestSeq()).toBe(latest); // seqs never go back
    expect(await server.realtime.feed.readSince(latest, 100)).toMatchObject({ gap: false });
    expect(await server.realtime.feed.readSince(latest - 1, 100)).toMatchObject({ gap: true });
  });
});

describe('SSE topics', () => {
  const opts = (o: unknown) => `?options=${encodeURIComponent(JSON.stringify(o))}`;
  it.each([
    ['posts/*', { collection: 'posts', recordId: undefined }],
    ['posts/abc', { collection: 'posts', recordId: 'abc' }],
    [`posts/*${opts({ query: { filter: 'a = 1', expand: 'b' }, headers: { 'X-Key': 'v', Authorization: 'secret' } })}`, {
      collection: 'posts',
      filter: 'a = 1',
      expand: 'b',
      headers: { x_key: 'v' },
    }],
    ['custom', null],
    ['posts/', null],
    ['/x', null],
    ['a/b/c', null],
  ])('%s', (topic, expected) => {
    const parsed = parseTopic(topic);
    if (expected === null) expect(parsed).toBeNull();
    else expect(parsed).toMatchObject(expected);
  });

  it('rejects malformed options', () => {
    expect(() => parseTopic('posts/*?options=%7Bnope')).toThrow(/options/);
  });
});

describe('socket writes per fan-out', () => {
  it('sends a batch of changes to a connection between one cork and one uncork', async () => {
    // A server of its own: the log here starts empty, whatever the tests above pruned.
    const own = mkdtempSync(join(tmpdir(), 'hearth-rt-cork-'));
    const srv = createServer({ dir: own, logLevel: 'silent' });
    try {
      await srv.collections.create({ name: 'notes', type: 'base', fields: [{ name: 'title', type: 'text' }], listRule: '', viewRule: '', createRule: '' } as never);
      const calls: string[] = [];
      const { conn, session } = srv.realtime.openWs({
        transport: {
          send: (frame) => {
            const msg = JSON.parse(typeof frame === 'string' ? frame : Buffer.from(frame).toString('utf8'));
            calls.push(msg.type === 'change' ? `change ${msg.record.title}` : msg.type);
          },
          bufferedAmount: () => 0,
          close() {},
          cork: () => calls.push('cork'),
          uncork: () => calls.push('uncork'),
        },
        query: {},
        headers: {},
      });
      session.start();
      session.handle(JSON.stringify({ type: 'subscribe', id: 's', collection: 'notes' }));
      const requests = ['b1', 'b2', 'b3'].map((title) => ({ method: 'POST', url: '/api/collections/notes/records', body: { title } }));
      const res = await srv.records.batch(requests, anonymousRequest('POST'));
      expect(res.map((r) => r.status)).toEqual([200, 200, 200]);
      await until(() => calls.includes('uncork'), `the batch to be sent (${calls.join(', ')})`);
      // One transaction, one drain of the feed: its three frames leave in one corked write.
      expect(calls).toEqual(['ready', 'subscribed', 'cork', 'change b1', 'change b2', 'change b3', 'uncork']);
      conn.close(1000, '');
    } finally {
      await srv.close();
      rmSync(own, { recursive: true, force: true });
    }
  });
});
