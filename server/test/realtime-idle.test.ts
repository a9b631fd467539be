/**
 * Realtime with no connection open: the hub stops listening to the change feed (nothing to fan out),
 * and no change is lost for it — a later subscription with `since` replays every change after
 * its cursor exactly once, in order, and then gets new writes live, as does a subscription
 * without `since` (which gets only what commits after it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scalar } from './engine-state.ts';
import { startRealtimeServer, WsClient, type Msg, type RtServer } from './realtime-helpers.ts';
import { createCollections, superuserWrites } from './realtime-records.ts';

let t: RtServer;
const open: WsClient[] = [];

async function client(): Promise<WsClient> {
  const c = await WsClient.open(t.wsUrl);
  open.push(c);
  return c;
}

const { create, update, remove } = superuserWrites(() => t);
const seen = (msgs: Msg[]) => msgs.map((m) => `${m.action}:${m.record.id}`);
const lastSeq = async () => Number(await scalar(t.server.engine, 'SELECT COALESCE(MAX("seq"), 0) FROM "_changes"'));

/** Waits (never sleeps a fixed time) until the server's state satisfies `cond`. */
async function serverState(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

beforeAll(async () => {
  t = await startRealtimeServer({ replayChunk: 4 });
  const rules = { listRule: '', viewRule: '', createRule: '', updateRule: '', deleteRule: '' };
  await createCollections(t, [{ name: 'posts', fields: [{ name: 'title', type: 'text' }], ...rules }]);
});
afterAll(async () => {
  for (const c of open) c.close();
  await t.close();
});

describe('writes while no connection is open', () => {
  it('a subscription with `since` gets every later change once, in order, then goes live', async () => {
    const first = await client();
    await first.subscribe({ id: 'p', collection: 'posts' });
    const x = await create('posts', { title: 'before' });
    const since = (await first.next((m) => m.type === 'change' && m.record.id === x, 'change of x')).seq as number;
    first.close();
    await first.waitClosed();
    await serverState(() => t.server.realtime.stats().connections === 0, 'the server to drop the connection');

    const expected: string[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const id = await create('posts', { title: `idle-${i}` });
      ids.push(id);
      expected.push(`create:${id}`);
    }
    await update('posts', ids[1]!, { title: 'idle-1b' });
    expected.push(`update:${ids[1]}`);
    await remove('posts', ids[2]!);
    expected.push(`delete:${ids[2]}`);
    await update('posts', x, { title: 'before-b' });
    expected.push(`update:${x}`);
    // Nothing is waiting to be fanned out: no lag shows while no one listens.
    const committed = await lastSeq();
    await serverState(() => t.server.realtime.stats().throughSeq >= committed, 'throughSeq to reach the last write');

    const second = await client();
    second.send({ type: 'subscribe', id: 'r', collection: 'posts', since });
    await second.until(() => second.changes('r').length >= expected.length, `${expected.length} replayed changes`);
    await second.subscribe({ id: 'now', collection: 'posts' });
    const live = await create('posts', { title: 'live' });
    await second.until(() => second.changes('r').some((m) => m.record.id === live) && second.changes('now').length > 0, 'the live write on both');

    expect(seen(second.changes('r'))).toEqual([...expected, `create:${live}`]);
    const seqs = second.changes('r').map((m) => m.seq as number);
    expect(seqs[0]).toBeGreaterThan(since);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!);
    expect(seen(second.changes('now'))).toEqual([`create:${live}`]);
  });

  it('a connection opened after idle writes hears only what commits after it, each once', async () => {
    for (const c of open) c.close();
    await serverState(() => t.server.realtime.stats().connections === 0, 'the server to drop the connections');
    const idle = await create('posts', { title: 'unheard' });
    const c = await client();
    await c.subscribe({ id: 'q', collection: 'posts' });
    const a = await create('posts', { title: 'a' });
    await update('posts', idle, { title: 'heard' });
    await c.until(() => c.changes('q').length >= 2, 'two changes');
    const b = await create('posts', { title: 'b' });
    await c.until(() => c.changes('q').length >= 3, 'three changes');
    expect(seen(c.changes('q'))).toEqual([`create:${a}`, `update:${idle}`, `create:${b}`]);
  });
});
