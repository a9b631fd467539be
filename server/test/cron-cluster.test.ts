/**
 * Two processes on one data dir and one hooks folder — a `hearth serve` (which holds the dir's
 * lock) and a worker server in the test process (`dirLock: false`, as a worker of that primary) —
 * both schedule the same job; each tick runs in exactly one of them (claimed in `_cronRuns`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, openDataDir, upsertSuperuser, type HearthServer } from '../src/index.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './harness.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'cli/bin/hearth.js');
const TICKS_WANTED = 6;
let dir: string;
let hooksDir: string;
let ticksFile: string;
const children: ChildProcess[] = [];
let worker: HearthServer | null = null;

function serve(): Promise<string> {
  const child = spawn(process.execPath, [BIN, 'serve', '--http', '127.0.0.1:0', '--dir', dir, '--hooks', hooksDir], {
    cwd: ROOT,
    env: { ...process.env, TICKS_FILE: ticksFile, HEARTH_LOG_LEVEL: 'warn' },
  });
  children.push(child);
  return new Promise((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /serving on (http:\/\/\S+)/.exec(out);
      if (m) ok(m[1]!);
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => fail(new Error(`serve exited early (${code}): ${out}`)));
  });
}

const ticks = (): string[] => (existsSync(ticksFile) ? readFileSync(ticksFile, 'utf8').trim().split('\n').filter(Boolean) : []);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hearth-cluster-'));
  hooksDir = mkdtempSync(join(tmpdir(), 'hearth-cluster-hooks-'));
  ticksFile = join(dir, 'ticks.log');
  copyFileSync(join(import.meta.dirname, 'fixtures/hooks-cron-cluster.ts'), join(hooksDir, 'jobs.ts'));
  const data = openDataDir(dir);
  await upsertSuperuser(data.db, data.registry, ADMIN_EMAIL, ADMIN_PASSWORD);
  data.db.close();
});

afterAll(async () => {
  await worker?.close();
  await Promise.all(
    children.map((c) => (c.exitCode === null ? new Promise((r) => (c.once('exit', r), c.kill('SIGTERM'))) : null)),
  );
  rmSync(dir, { recursive: true, force: true });
  rmSync(hooksDir, { recursive: true, force: true });
});

describe('cron across processes', () => {
  it('both processes schedule the job, and every tick runs exactly once', async () => {
    process.env.TICKS_FILE = ticksFile;
    const primary = await serve();
    worker = createServer({ dir, hooksDir, http: '127.0.0.1:0', logLevel: 'silent', dirLock: false });
    const urls = [primary, (await worker.listen()).url];
    for (const url of urls) {
      const auth = await fetch(`${url}/api/collections/_superusers/auth-with-password`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ identity: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
      }).then((r) => r.json() as Promise<{ token: string }>);
      const list = await fetch(`${url}/api/crons`, { headers: { authorization: auth.token } }).then((r) => r.json());
      expect(list).toEqual([{ id: 'every_second', expression: '* * * * * *' }]);
    }
    while (ticks().length < TICKS_WANTED) await new Promise((r) => setTimeout(r, 100));
    const lines = ticks();
    const slots = lines.map((l) => l.split(' ')[0]);
    expect(slots.every((s) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/.test(s!))).toBe(true);
    expect(new Set(slots).size).toBe(slots.length);
    const pids = new Set(lines.map((l) => l.split(' ')[1]));
    expect([...pids].every((p) => p === String(process.pid) || p === String(children[0]!.pid))).toBe(true);
  }, 60_000);
});
