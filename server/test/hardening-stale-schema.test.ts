/**
 * A schema change made by another process — the `hearth` CLI on the same data dir while the
 * server runs — is seen by the running server on its next request: create, a rule-only update
 * (no DDL) and delete, each through a real `hearth` child process.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { startServer, type TestServer } from './harness.ts';
import { itSqliteOnly } from './sqlite-only.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'cli/bin/hearth.js');
let t: TestServer;

/**
 * The other process is the `hearth` CLI on the data dir, which edits the SQLite file there; on
 * PostgreSQL the other writer is another node, whose schema changes every node follows through
 * `_schemaVersion` and its note (server/test/engines/postgres-nodes.test.ts, serve-on-postgres.test.ts).
 */
const CLI_ON_DATA_DIR = '`hearth collections`/`hearth superuser` write the SQLite file of a data dir';

/** Runs `hearth … --dir` asynchronously: a sync spawn would freeze the server in this process too. */
async function hearth(...args: string[]): Promise<void> {
  await promisify(execFile)(process.execPath, [BIN, ...args, '--dir', t.dir], { cwd: ROOT, encoding: 'utf8' });
}

beforeAll(async () => {
  t = await startServer();
});
afterAll(() => t.close());

describe('schema changes from another process', () => {
  itSqliteOnly('a collection created with `hearth collections create --dir` is served at once', CLI_ON_DATA_DIR, async () => {
    expect((await t.api('GET', '/api/collections/tasks/records')).status).toBe(404);
    await hearth('collections', 'create', JSON.stringify({ name: 'tasks', fields: [{ name: 'title', type: 'text' }], listRule: null, createRule: '' }));
    const created = await t.api('POST', '/api/collections/tasks/records', { title: 'from the api' });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect((await t.api('GET', '/api/collections/tasks/records')).status).toBe(403);
  });

  itSqliteOnly('a rule-only update (no DDL) is seen on the next request', CLI_ON_DATA_DIR, async () => {
    await hearth('collections', 'update', 'tasks', JSON.stringify({ listRule: '' }));
    const listed = await t.api('GET', '/api/collections/tasks/records');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((r: { title: string }) => r.title)).toEqual(['from the api']);
  });

  itSqliteOnly('a collection the server made and another process deleted is gone on the next request', CLI_ON_DATA_DIR, async () => {
    expect((await t.api('POST', '/api/collections', { name: 'gone', fields: [{ name: 'v', type: 'text' }], listRule: '' }, t.adminToken)).status).toBe(200);
    expect((await t.api('GET', '/api/collections/gone/records')).status).toBe(200);
    await hearth('collections', 'delete', 'gone');
    expect((await t.api('GET', '/api/collections/gone/records')).status).toBe(404);
    expect((await t.api('GET', '/api/collections', undefined, t.adminToken)).body.items.map((c: { name: string }) => c.name)).not.toContain('gone');
  });

  itSqliteOnly('record writes by another process do not reload the schema', CLI_ON_DATA_DIR, async () => {
    const before = t.server.registry.version;
    await hearth('superuser', 'upsert', 'second@example.com', 'another long password');
    expect((await t.api('GET', '/api/health')).status).toBe(200);
    expect(t.server.registry.version).toBe(before);
  });
});
