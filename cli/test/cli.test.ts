/** The `hearth` binary end to end: serve, superuser upsert while serving, collections, graceful stop. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'cli/bin/hearth.js');
const NODE = process.execPath;
let dir: string;

function hearth(...args: string[]) {
  const res = spawnSync(NODE, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

function startServe(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(NODE, [BIN, 'serve', '--http', '127.0.0.1:0', '--dir', dir], { cwd: ROOT });
  return new Promise((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /serving on (http:\/\/\S+)/.exec(out);
      if (m) ok({ child, url: m[1]! });
    });
    child.once('exit', (code) => fail(new Error(`serve exited early (${code}): ${out}`)));
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hearth-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hearth CLI', () => {
  it('prints help for every command', () => {
    for (const args of [['--help'], ['serve', '--help'], ['superuser', '--help'], ['collections', '--help']]) {
      const r = hearth(...args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: hearth');
    }
  }, 120_000);

  it('fails with a message and non-zero exit on bad input', () => {
    const r = hearth('superuser', 'upsert', 'not-an-email', 'short', '--dir', dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/hearth: /);
    expect(hearth('nonsense').code).not.toBe(0);
  });

  it('serves, accepts a superuser created while running, and shuts down gracefully', async () => {
    const { child, url } = await startServe();
    try {
      const up = hearth('superuser', 'upsert', 'root@example.com', 'a long password', '--dir', dir);
      expect(up.code, up.stderr).toBe(0);
      const res = await fetch(`${url}/api/collections/_superusers/auth-with-password`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ identity: 'root@example.com', password: 'a long password' }),
      });
      expect(res.status).toBe(200);
      const { token } = (await res.json()) as { token: string };
      const created = await fetch(`${url}/api/collections`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: token },
        body: JSON.stringify({ name: 'tasks', fields: [{ name: 'title', type: 'text' }] }),
      });
      expect(created.status).toBe(200);
      const listed = hearth('collections', 'list', '--url', url, '--token', token);
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toContain('tasks');
    } finally {
      const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    const wal = join(dir, 'data.db-wal');
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
    // Three program starts (serve with its workers, two CLI commands): CPU-bound on a busy machine.
  }, 120_000);

  it('manages collections in the data dir', () => {
    const create = hearth('collections', 'create', JSON.stringify({ name: 'notes', fields: [{ name: 'body', type: 'text' }] }), '--dir', dir);
    expect(create.code, create.stderr).toBe(0);
    expect(JSON.parse(create.stdout).name).toBe('notes');
    expect(hearth('collections', 'get', 'notes', '--dir', dir).stdout).toContain('"body"');
    expect(hearth('collections', 'delete', 'notes', '--dir', dir).code).toBe(0);
    const missing = hearth('collections', 'get', 'notes', '--dir', dir);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/not found|wasn't found/i);
  });
});
