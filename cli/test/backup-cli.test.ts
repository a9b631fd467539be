/**
 * `hearth backup` end to end: a backup taken by the CLI while a server is serving and another
 * process writes steadily, restored into a fresh data dir, opens, passes PRAGMA integrity_check,
 * and holds every write acknowledged before the backup began.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDataDir } from '@hearth/server';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'cli/bin/hearth.js');
let work: string;

const hearth = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

function serve(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--http', '127.0.0.1:0', '--dir', dir], { cwd: ROOT });
  return new Promise((ok, fail) => {
    let text = '';
    child.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /serving on (http:\/\/\S+)/.exec(text);
      if (m) ok({ child, url: m[1]! });
    });
    child.once('exit', (code) => fail(new Error(`serve exited (${code}): ${text}`)));
  });
}

/** A separate process creating records one after another, printing each acknowledged id. */
const WRITER = `
const url = process.argv[1];
let n = 0;
(async () => {
  for (;;) {
    const res = await fetch(url + '/api/collections/events/records', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n: n++ }) });
    if (res.status !== 200) { console.error('write failed', res.status); process.exit(1); }
    const body = await res.json();
    process.stdout.write(body.id + '\\n');
  }
})();
`;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'hearth-backup-cli-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('hearth backup', { timeout: 900_000 }, () => {
  it('a backup taken under steady writes restores to a sound database with every acknowledged write', async () => {
    const dir = join(work, 'live');
    expect(hearth('collections', 'create', JSON.stringify({ name: 'events', fields: [{ name: 'n', type: 'number' }], createRule: '', listRule: '' }), '--dir', dir).code).toBe(0);
    const { child: server, url } = await serve(dir);
    const writer = spawn(process.execPath, ['-e', WRITER, url]);
    const acked: string[] = [];
    let partial = '';
    writer.stdout!.on('data', (d: Buffer) => {
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop()!;
      acked.push(...lines);
    });
    try {
      while (acked.length < 200) await new Promise((r) => setTimeout(r, 20));
      const before = [...acked];
      const backup = await new Promise<{ code: number | null; stderr: string }>((ok) => {
        const p = spawn(process.execPath, [BIN, 'backup', 'create', 'under-load.zip', '--dir', dir], { cwd: ROOT });
        let stderr = '';
        p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        p.once('exit', (code) => ok({ code, stderr }));
      });
      expect(backup.code, backup.stderr).toBe(0);
      const during = acked.length - before.length;
      expect(during, 'writes went on while the backup ran').toBeGreaterThan(0);

      const fresh = join(work, 'fresh');
      mkdirSync(join(fresh, 'backups'), { recursive: true });
      copyFileSync(join(dir, 'backups', 'under-load.zip'), join(fresh, 'backups', 'under-load.zip'));
      const restored = hearth('backup', 'restore', 'under-load.zip', '--dir', fresh);
      expect(restored.code, restored.stderr).toBe(0);

      const { db } = openDataDir(fresh);
      try {
        expect(db.pluck('PRAGMA integrity_check')).toEqual(['ok']);
        const ids = new Set(db.pluck<string>('SELECT "id" FROM "events"'));
        const missing = before.filter((id) => !ids.has(id));
        expect(missing).toEqual([]);
        expect(ids.size).toBeGreaterThanOrEqual(before.length);
      } finally {
        db.close();
      }
    } finally {
      writer.kill();
      const exited = new Promise((ok) => server.once('exit', ok));
      server.kill('SIGTERM');
      await exited;
    }
  });

  it('refuses a --dir restore while a server holds the data dir, and leaves its data alone', async () => {
    const dir = join(work, 'locked');
    expect(hearth('collections', 'create', JSON.stringify({ name: 'notes', fields: [{ name: 'text', type: 'text' }] }), '--dir', dir).code).toBe(0);
    expect(hearth('backup', 'create', 'empty.zip', '--dir', dir).code).toBe(0);
    const { child: server, url } = await serve(dir);
    try {
      const su = hearth('superuser', 'upsert', 'lock@example.com', 'a long password', '--dir', dir);
      expect(su.code, su.stderr).toBe(0);
      const auth = await fetch(`${url}/api/collections/_superusers/auth-with-password`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ identity: 'lock@example.com', password: 'a long password' }),
      }).then((r) => r.json());
      const created = await fetch(`${url}/api/collections/notes/records`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth.token }, body: JSON.stringify({ text: 'after the backup' }) });
      expect(created.status).toBe(200);
      const refused = hearth('backup', 'restore', 'empty.zip', '--dir', dir);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/already in use by another hearth server \(pid \d+\).*--url/);
      const list = await fetch(`${url}/api/collections/notes/records`, { headers: { authorization: auth.token } }).then((r) => r.json());
      expect(list.items.map((r: { text: string }) => r.text)).toEqual(['after the backup']);
    } finally {
      const exited = new Promise((ok) => server.once('exit', ok));
      server.kill('SIGTERM');
      await exited;
    }
    // Once the server is gone the same restore goes through.
    const restored = hearth('backup', 'restore', 'empty.zip', '--dir', dir);
    expect(restored.code, restored.stderr).toBe(0);
    const { db } = openDataDir(dir);
    try {
      expect(db.pluck('SELECT COUNT(*) FROM "notes"')).toEqual([0]);
    } finally {
      db.close();
    }
  });

  it('lists and deletes through a server with a token saved by `hearth login` (file mode 0600)', async () => {
    const dir = join(work, 'live');
    const config = join(work, 'config');
    expect(hearth('superuser', 'upsert', 'root@example.com', 'a long password', '--dir', dir).code).toBe(0);
    const { child: server, url } = await serve(dir);
    try {
      const env = { ...process.env, NO_COLOR: '1', XDG_CONFIG_HOME: config };
      const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env });
      const login = run('login', '--url', url, '--email', 'root@example.com', '--password', 'a long password');
      expect(login.status, login.stderr).toBe(0);
      const { statSync } = await import('node:fs');
      expect(statSync(join(config, 'hearth', 'credentials.json')).mode & 0o777).toBe(0o600);
      const list = run('backup', 'list', '--url', url, '--json');
      expect(list.status, list.stderr).toBe(0);
      expect(JSON.parse(list.stdout).map((b: { key: string }) => b.key)).toContain('under-load.zip');
      expect(run('backup', 'delete', 'under-load.zip', '--url', url).status).toBe(0);
      expect(JSON.parse(run('backup', 'list', '--url', url, '--json').stdout)).toEqual([]);
      const anonymous = spawnSync(process.execPath, [BIN, 'backup', 'list', '--url', url], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: join(work, 'empty') } });
      expect(anonymous.status).toBe(1);
      expect(anonymous.stderr).toContain('hearth login');
    } finally {
      const exited = new Promise((ok) => server.once('exit', ok));
      server.kill('SIGTERM');
      await exited;
    }
  });
});
