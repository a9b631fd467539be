/**
 * `hearth serve --workers 2`, spoken to over HTTP and WebSocket with clients pinned to a worker
 * (cluster-helpers.ts): the invariants of a multi-worker deployment. A write on one worker reaches
 * the realtime clients of every worker exactly once; a schema change on one is seen by all; rate
 * limits and sign-outs are shared; resuming with `since` across a worker's restart loses nothing;
 * SIGTERM drains every worker, keeping every acknowledged write; every worker runs with the heap and
 * allocator settings of cluster/worker-process.ts.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { get, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataDir } from '../src/index.ts';
import { WORKER_ENV, WORKER_NODE_FLAGS } from '../src/cluster/worker-process.ts';
import { adminToken, Cluster, type WorkerClient } from './cluster-helpers.ts';
import type { Msg, WsClient } from './realtime-helpers.ts';

let cluster: Cluster & { dir: string };
let w1: WorkerClient;
let w2: WorkerClient;
let admin: string;
const sockets: WsClient[] = [];
const open = { listRule: '', viewRule: '', createRule: '', updateRule: '', deleteRule: '' };

async function ws(worker: number): Promise<WsClient> {
  const c = await cluster.ws(worker);
  sockets.push(c);
  return c;
}

async function createCollection(on: WorkerClient, name: string, rules: Record<string, string | null> = open): Promise<void> {
  const r = await on.api('POST', '/api/collections', { name, fields: [{ name: 'title', type: 'text' }], ...rules }, admin);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

async function insert(on: WorkerClient, collection: string, title: string): Promise<string> {
  const r = await on.api('POST', `/api/collections/${collection}/records`, { title }, admin);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.id as string;
}

const titles = (c: WsClient, sub: string): string[] => c.changes(sub).map((m: Msg) => m.record.title as string);

/** Resolves once check() holds (re-checked every 20 ms), or fails after timeoutMs. */
async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** An SSE stream (PocketBase's realtime transport) held by worker `id`: new connections until one lands there. */
async function sseOn(id: number): Promise<{ clientId: string; text: () => string; close: () => void }> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const res = await new Promise<IncomingMessage>((ok, fail) => get(cluster.url + '/api/realtime', { agent: false }, ok).on('error', fail));
    if (res.headers['x-hearth-worker'] !== String(id)) {
      res.destroy();
      continue;
    }
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (d: string) => (text += d));
    await waitFor(() => /"clientId":"[^"]+"/.test(text), 'PB_CONNECT');
    return { clientId: /"clientId":"([^"]+)"/.exec(text)![1]!, text: () => text, close: () => res.destroy() };
  }
  throw new Error(`no SSE connection landed on worker ${id}`);
}

beforeAll(async () => {
  cluster = await Cluster.start(2);
  w1 = cluster.on(1);
  w2 = cluster.on(2);
  admin = await adminToken(w1);
}, 90_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  w1?.close();
  w2?.close();
  await cluster?.stop();
  if (cluster) rmSync(cluster.dir, { recursive: true, force: true });
});

describe('hearth serve --workers 2', () => {
  it('deals connections to both workers, each naming itself', async () => {
    expect((await w1.api('GET', '/api/health')).worker).toBe('1');
    expect((await w2.api('GET', '/api/health')).worker).toBe('2');
    expect(new Set(cluster.pids.values()).size).toBe(2);
  });

  it.runIf(existsSync('/proc/self/cmdline'))('starts every worker with the heap and allocator settings', () => {
    for (const pid of cluster.pids.values()) {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      for (const flag of WORKER_NODE_FLAGS) expect(argv).toContain(flag);
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      expect(env).toContain(`MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? WORKER_ENV.MALLOC_ARENA_MAX}`);
    }
  });

  it('delivers a write on either worker to the realtime clients of every worker exactly once', { timeout: 60_000 }, async () => {
    await createCollection(w1, 'notes');
    const clients = [await ws(1), await ws(1), await ws(2), await ws(2)];
    for (const c of clients) expect((await c.subscribe({ id: 's', collection: 'notes' })).type).toBe('subscribed');
    const written: string[] = [];
    for (let i = 0; i < 5; i++) {
      written.push(`one-${i}`);
      await insert(w1, 'notes', `one-${i}`);
      written.push(`two-${i}`);
      await insert(w2, 'notes', `two-${i}`);
    }
    // A last write on each worker: once a client has it, every earlier event would have come first.
    await insert(w2, 'notes', 'end-2');
    await insert(w1, 'notes', 'end-1');
    for (const c of clients) {
      await c.until(() => titles(c, 's').includes('end-1'), 'the last write');
      expect(titles(c, 's')).toEqual([...written, 'end-2', 'end-1']);
      const seqs = c.changes('s').map((m) => m.seq as number);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    }
  });

  it('sees a schema change made on one worker on the other at once (REST and realtime)', { timeout: 60_000 }, async () => {
    await createCollection(w1, 'drafts', { ...open, listRule: null });
    // Created on worker 1: worker 2 already knows it, and enforces its superusers-only listRule.
    expect((await w2.api('GET', '/api/collections/drafts/records')).status).toBe(403);
    const patched = await w1.api('PATCH', '/api/collections/drafts', { listRule: '' }, admin);
    expect(patched.status).toBe(200);
    expect((await w2.api('GET', '/api/collections/drafts/records')).status).toBe(200);
    // Worker 2's realtime client hears of the deletion worker 1 made, without any request to worker 2.
    const c = await ws(2);
    expect((await c.subscribe({ id: 'd', collection: 'drafts' })).type).toBe('subscribed');
    expect((await w1.api('DELETE', '/api/collections/drafts', undefined, admin)).status).toBe(204);
    const ended = await c.next((m) => m.type === 'error' && m.id === 'd', 'the subscription to end');
    expect(ended.status).toBe(404);
  });

  it('takes an SSE client’s subscriptions and OAuth2 redirect on the worker that does not hold its stream', { timeout: 60_000 }, async () => {
    await createCollection(w1, 'sse_cross');
    const stream = await sseOn(1);
    try {
      expect(stream.clientId).toMatch(/_w1$/);
      expect(stream.clientId).toHaveLength(40);
      // PocketBase's SDK posts its topics on whatever connection the browser picks: here, worker 2.
      const set = await w2.api('POST', '/api/realtime', { clientId: stream.clientId, subscriptions: ['sse_cross/*', '@oauth2'] });
      expect([set.status, set.worker]).toEqual([204, '2']);
      const id = await insert(w2, 'sse_cross', 'across');
      await waitFor(() => stream.text().includes(id), 'the event on the stream of worker 1');
      expect(stream.text()).toContain('"title":"across"');
      // The owner's answer comes back as it is: an unknown client of worker 1 is a 404.
      const unknown = await w2.api('POST', '/api/realtime', { clientId: `${'x'.repeat(37)}_w1`, subscriptions: ['sse_cross/*'] });
      expect(unknown.status).toBe(404);
      // The provider sends the browser back to whichever worker: the code reaches the page's stream.
      const redirect = await w2.api('GET', `/api/oauth2-redirect?state=${stream.clientId}&code=code-across`);
      expect([redirect.status, redirect.worker]).toEqual([307, '2']);
      await waitFor(() => stream.text().includes('code-across'), 'the @oauth2 message on the stream of worker 1');
      expect(stream.text()).toMatch(/event:@oauth2\ndata:.*"code":"code-across"/);
    } finally {
      stream.close();
    }
  });

  it('shares rate-limit buckets between workers', async () => {
    // auth-with-password:ip-identity allows a burst of 5 per address and account.
    const attempt = (on: WorkerClient) => on.api('POST', '/api/collections/users/auth-with-password', { identity: 'nobody@example.com', password: 'wrong-password' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await attempt(i % 2 === 0 ? w1 : w2)).status);
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
    expect((await attempt(w1)).status).toBe(429);
  }, 120_000); // seven scrypt hashes: CPU-bound on a busy machine

  it('ends a session signed out on one worker on the other at once', async () => {
    const email = 'shared@example.com';
    const created = await w1.api('POST', '/api/collections/users/records', { email, password: 'password123', passwordConfirm: 'password123' });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const signedIn = await w1.api('POST', '/api/collections/users/auth-with-password', { identity: email, password: 'password123' });
    const token = signedIn.body.token as string;
    // Worker 2 verifies the token and caches it…
    expect((await w2.api('GET', '/api/collections/users/auth-sessions', undefined, token)).status).toBe(200);
    expect((await w2.api('GET', '/api/collections/users/auth-sessions', undefined, token)).status).toBe(200);
    // …and still refuses it as soon as worker 1 ends the session.
    expect((await w1.api('POST', '/api/collections/users/auth-sign-out', undefined, token)).status).toBe(204);
    expect((await w2.api('GET', '/api/collections/users/auth-sessions', undefined, token)).status).toBe(401);
  }, 120_000); // scrypt hashes: CPU-bound on a busy machine

  it('resumes with `since` across a restart of the worker, losing nothing', async () => {
    await createCollection(w1, 'log');
    const before = await ws(1);
    await before.subscribe({ id: 'l', collection: 'log' });
    await insert(w2, 'log', 'a');
    await insert(w1, 'log', 'b');
    await before.until(() => titles(before, 'l').length === 2, 'a and b');
    const since = before.changes('l').at(-1)!.seq as number;
    const oldPid = cluster.pids.get(1)!;
    process.kill(oldPid, 'SIGKILL');
    await before.waitClosed();
    // Written while worker 1 is down (worker 2 takes every connection meanwhile).
    await insert(w2, 'log', 'c');
    await insert(w2, 'log', 'd');
    await cluster.until(() => (cluster.pids.get(1) ?? oldPid) !== oldPid, 'worker 1 to be restarted', 30_000);
    await insert(w1, 'log', 'e');
    const after = await ws(1);
    await after.subscribe({ id: 'l', collection: 'log', since });
    await after.until(() => titles(after, 'l').includes('e'), 'the replay and e');
    await insert(w2, 'log', 'f');
    await after.until(() => titles(after, 'l').includes('f'), 'f live');
    expect(titles(after, 'l')).toEqual(['c', 'd', 'e', 'f']);
  }, 60_000);

  it('drains every worker on SIGTERM, keeping every acknowledged write', async () => {
    await createCollection(w1, 'acks');
    const acked: string[] = [];
    let stopping = false;
    const writer = async (on: WorkerClient, name: string): Promise<void> => {
      for (let i = 0; ; i++) {
        try {
          const r = await on.api('POST', '/api/collections/acks/records', { title: `${name}-${i}` }, admin);
          if (r.status === 200) acked.push(r.body.id as string);
        } catch {
          if (stopping) return; // refused or reset: the server is going away
        }
      }
    };
    const writers = [writer(w1, 'w1'), writer(w2, 'w2'), writer(cluster.on(1), 'w1b'), writer(cluster.on(2), 'w2b')];
    await new Promise<void>((ok) => {
      const check = (): void => void (acked.length >= 40 ? ok() : setTimeout(check, 10));
      check();
    });
    stopping = true;
    const code = await cluster.stop('SIGTERM');
    await Promise.all(writers);
    expect(code).toBe(0);
    const data = openDataDir(cluster.dir);
    try {
      const stored = new Set(data.db.pluck<string>('SELECT "id" FROM "acks"'));
      expect(acked.filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      data.db.close();
    }
  }, 60_000);
});

