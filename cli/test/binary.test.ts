/**
 * The single executable end to end: built once (npm run build:binary), copied alone into an
 * empty folder and run with a PATH that has no node and no node_modules anywhere near. It
 * creates a superuser, serves the API (and the dashboard when one was built), refuses a second
 * server on its data dir, drains WebSocket and SSE clients and exits 0 on SIGTERM with every
 * acknowledged write on disk; realtime resumes with `since` after the restart; and after
 * `kill -9` under a steady write load every acknowledged write is still there.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const ROOT = resolve(import.meta.dirname, '../..');
const BUILD_TIMEOUT_MS = 5 * 60_000;
const EMAIL = 'owner@example.com';
const PASSWORD = 'binary test password';

let box: string;
let bin: string;
let env: NodeJS.ProcessEnv;
let dashboardBuilt = false;

function run(...args: string[]) {
  const r = spawnSync(bin, args, { cwd: box, env, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

interface Serving {
  child: ChildProcess;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

async function serve(): Promise<Serving> {
  const port = await freePort();
  const child = spawn(bin, ['serve', '--http', `127.0.0.1:${port}`, '--dir', 'data'], { cwd: box, env });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) => child.once('exit', (code, signal) => ok({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  await expect.poll(async () => (await fetch(`${url}/api/health`).catch(() => null))?.status, { timeout: 20_000, interval: 50 }).toBe(200);
  return { child, url, exited, output: () => out };
}

async function json(url: string, method: string, body?: unknown, token?: string): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = token;
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function login(url: string): Promise<string> {
  const r = await json(`${url}/api/collections/_superusers/auth-with-password`, 'POST', { identity: EMAIL, password: PASSWORD });
  expect(r.status).toBe(200);
  return r.body.token;
}

async function allTitles(url: string, token: string): Promise<Set<string>> {
  const r = await json(`${url}/api/collections/notes/records?perPage=1000&skipTotal=1&fields=title`, 'GET', undefined, token);
  expect(r.status).toBe(200);
  const titles = new Set<string>(r.body.items.map((i: { title: string }) => i.title));
  expect(r.body.items.length).toBeLessThan(1000);
  return titles;
}

beforeAll(() => {
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-binary.ts')], { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`build:binary failed: ${built.stdout}\n${built.stderr}`);
  dashboardBuilt = existsSync(join(ROOT, 'dashboard', 'dist', 'index.html'));
  box = mkdtempSync(join(tmpdir(), 'hearth-binary-'));
  bin = join(box, 'hearth');
  copyFileSync(join(ROOT, 'dist', 'hearth-linux-x64'), bin);
  const emptyPath = join(box, 'empty-path');
  mkdirSync(emptyPath);
  // Nothing to run on PATH (so no node), HOME inside the box for the unpack cache.
  env = { PATH: emptyPath, HOME: join(box, 'home'), HEARTH_LOG_LEVEL: 'warn' };
}, BUILD_TIMEOUT_MS);

afterAll(() => {
  if (box) rmSync(box, { recursive: true, force: true });
});

describe('dist/hearth-linux-x64', () => {
  it('is one file that runs without node: --version, superuser upsert', () => {
    expect(readdirSync(box).sort()).toEqual(['empty-path', 'hearth']);
    expect(readdirSync(join(box, 'empty-path'))).toEqual([]);
    expect(statSync(bin).size).toBeGreaterThan(50 * 1024 * 1024);
    const v = run('--version');
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const up = run('superuser', 'upsert', EMAIL, PASSWORD, '--dir', 'data');
    expect(up.code, up.stderr).toBe(0);
  });

  it('serves, drains realtime clients and exits 0 on SIGTERM with every acknowledged write; resumes with since', async () => {
    const first = await serve();
    const token = await login(first.url);
    const created = await json(`${first.url}/api/collections`, 'POST', { name: 'notes', type: 'base', listRule: '', viewRule: '', fields: [{ name: 'title', type: 'text' }] }, token);
    expect(created.status).toBe(200);
    if (dashboardBuilt) {
      const page = await fetch(`${first.url}/_/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
    }
    // A second server on the same data dir is refused with a clear message.
    const again = run('serve', '--http', '127.0.0.1:0', '--dir', 'data');
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already in use by another hearth server \(pid \d+\)/);

    const ws = new WebSocket(`${first.url.replace('http', 'ws')}/api/realtime/ws`);
    const seen: { type: string; seq?: number; record?: { title: string } }[] = [];
    ws.on('message', (d) => seen.push(JSON.parse(String(d))));
    const wsClosed = new Promise<number>((ok) => ws.once('close', (code) => ok(code)));
    await new Promise((ok) => ws.once('open', ok));
    ws.send(JSON.stringify({ type: 'subscribe', id: 's1', collection: 'notes' }));
    await expect.poll(() => seen.some((m) => m.type === 'subscribed')).toBe(true);
    const sse = await fetch(`${first.url}/api/realtime`);
    expect(sse.status).toBe(200);
    const sseDone = sse.text();

    const acked: string[] = [];
    for (let i = 0; i < 25; i++) {
      const r = await json(`${first.url}/api/collections/notes/records`, 'POST', { title: `graceful-${i}` }, token);
      expect(r.status).toBe(200);
      acked.push(`graceful-${i}`);
    }
    await expect.poll(() => seen.filter((m) => m.type === 'change').length).toBe(25);
    const lastSeq = Math.max(...seen.filter((m) => m.type === 'change').map((m) => m.seq!));

    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(await wsClosed).toBe(1001);
    await sseDone; // the stream ended instead of hanging
    // The WAL was checkpointed into data.db on the way out.
    const wal = join(box, 'data', 'data.db-wal');
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);

    const second = await serve();
    try {
      const token2 = await login(second.url);
      const titles = await allTitles(second.url, token2);
      for (const t of acked) expect(titles.has(t), t).toBe(true);
      // Written while no client listened; a client resuming from its last seq gets exactly it.
      expect((await json(`${second.url}/api/collections/notes/records`, 'POST', { title: 'after-restart' }, token2)).status).toBe(200);
      const ws2 = new WebSocket(`${second.url.replace('http', 'ws')}/api/realtime/ws`);
      const seen2: { type: string; record?: { title: string } }[] = [];
      ws2.on('message', (d) => seen2.push(JSON.parse(String(d))));
      await new Promise((ok) => ws2.once('open', ok));
      ws2.send(JSON.stringify({ type: 'subscribe', id: 's1', collection: 'notes', since: lastSeq }));
      await expect.poll(() => seen2.filter((m) => m.type === 'change').map((m) => m.record?.title)).toEqual(['after-restart']);
      ws2.close();
      // Logs and metrics work inside the executable; the 25 writes logged before SIGTERM were
      // flushed to logs.db on the way out, so the log holds all 26 creates. The server runs one
      // worker per core: the last create may have been logged by another worker than the one
      // answering /api/logs, which shows it after that worker's next flush (FLUSH_INTERVAL_MS).
      const logsUrl = `${second.url}/api/logs?filter=${encodeURIComponent('data.url ~ "/api/collections/notes/records" && data.method = "POST"')}&perPage=1`;
      await expect
        .poll(async () => {
          const logs = await json(logsUrl, 'GET', undefined, token2);
          return [logs.status, logs.body.totalItems];
        })
        .toEqual([200, 26]);
      const metrics = await fetch(`${second.url}/api/metrics`, { headers: { authorization: token2 } });
      expect(await metrics.text()).toContain('hearth_http_requests_total{');
    } finally {
      second.child.kill('SIGTERM');
      expect((await second.exited).code).toBe(0);
    }
  });

  it('keeps every acknowledged write through kill -9 under a steady write load', async () => {
    const s = await serve();
    const token = await login(s.url);
    const acked: string[] = [];
    let stop = false;
    const writer = async (w: number): Promise<void> => {
      for (let i = 0; !stop; i++) {
        const title = `crash-${w}-${i}`;
        const r = await fetch(`${s.url}/api/collections/notes/records`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: token }, body: JSON.stringify({ title }) }).catch(() => null);
        if (r?.status === 200) acked.push(title);
        else if (r) throw new Error(`write answered ${r.status}`);
        else return; // connection refused or reset: the server is gone
      }
    };
    const writers = [0, 1, 2, 3].map((w) => writer(w));
    await expect.poll(() => acked.length, { timeout: 30_000 }).toBeGreaterThan(200);
    s.child.kill('SIGKILL');
    expect((await s.exited).signal).toBe('SIGKILL');
    stop = true;
    await Promise.all(writers);

    // The kernel dropped the dead server's lock: the restart is not refused.
    const again = await serve();
    try {
      const titles = await allTitles(again.url, await login(again.url));
      const missing = acked.filter((t) => !titles.has(t));
      expect(missing).toEqual([]);
    } finally {
      again.child.kill('SIGTERM');
      expect((await again.exited).code).toBe(0);
    }
  });
});
