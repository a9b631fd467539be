/**
 * `openServer` on PostgreSQL, over HTTP: the first superuser through the installer, sign-in,
 * collections created and listed, records written and read under per-user rules, settings
 * written through the engine and read back by a second node on the same database, realtime's
 * SSE stream, and the clear 400s of what is not served there (backups, the SQL console).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../../../test-support/postgres.ts';
import type { HearthServer } from '../../src/index.ts';
import { START_TIMEOUT } from './both-engines.ts';
import { nodeApi, pgNodes } from './pg-nodes.ts';

let pg: TestPostgres;
let url: string;
const nodes = pgNodes('pgnode');

async function node(): Promise<{ server: HearthServer; url: string }> {
  return nodes.start(url);
}

const api = nodeApi;

beforeAll(async () => {
  pg = await startPostgres();
  url = await pg.createDatabase('serve_on_pg');
}, START_TIMEOUT);

afterAll(async () => {
  await nodes.closeAll();
  await pg?.stop();
});

describe('openServer on PostgreSQL', { timeout: 120_000 }, () => {
  let a: { server: HearthServer; url: string };
  let admin = '';

  it('starts a node and creates the first superuser through the installer', async () => {
    a = await node();
    expect(a.server.engine.kind).toBe('postgres');
    expect(() => a.server.db).toThrow(/PostgreSQL/);
    expect((await api(a.url, 'GET', '/api/install')).body).toEqual({ needed: true });
    const made = await api(a.url, 'POST', '/api/install', { email: 'root@example.com', password: 'correct horse battery', passwordConfirm: 'correct horse battery' });
    expect(made.status).toBeLessThan(300);
    expect((await api(a.url, 'GET', '/api/install')).body).toEqual({ needed: false });
    const auth = await api(a.url, 'POST', '/api/collections/_superusers/auth-with-password', { identity: 'ROOT@example.com', password: 'correct horse battery' });
    expect(auth.status).toBe(200);
    admin = auth.body.token;
  });

  it('creates and lists collections, and serves records under per-user rules', async () => {
    const posts = await api(a.url, 'POST', '/api/collections', {
      name: 'posts',
      type: 'base',
      listRule: 'owner = @request.auth.id',
      viewRule: 'owner = @request.auth.id',
      createRule: '@request.auth.id != "" && owner = @request.auth.id',
      fields: [
        { name: 'title', type: 'text', required: true },
        { name: 'owner', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 },
        { name: 'tags', type: 'json' },
      ],
    }, admin);
    expect(posts.status).toBe(200);
    const list = await api(a.url, 'GET', '/api/collections?filter=' + encodeURIComponent('name = "posts" || name = "users"') + '&sort=name', undefined, admin);
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { name: string }) => c.name)).toEqual(['posts', 'users']);
    expect(list.body.totalItems).toBe(2);

    const users: { id: string; token: string }[] = [];
    for (const email of ['ann@example.com', 'bob@example.com']) {
      const made = await api(a.url, 'POST', '/api/collections/users/records', { email, password: 'pass-word-123', passwordConfirm: 'pass-word-123' });
      expect(made.status).toBe(200);
      const signed = await api(a.url, 'POST', '/api/collections/users/auth-with-password', { identity: email.toUpperCase(), password: 'pass-word-123' });
      expect(signed.status).toBe(200);
      users.push({ id: made.body.id, token: signed.body.token });
    }
    const [ann, bob] = users as [{ id: string; token: string }, { id: string; token: string }];
    const mine = await api(a.url, 'POST', '/api/collections/posts/records', { title: 'Hello', owner: ann.id, tags: ['x', 'y'] }, ann.token);
    expect(mine.status).toBe(200);
    expect((await api(a.url, 'POST', '/api/collections/posts/records', { title: 'Spoof', owner: ann.id }, bob.token)).status).toBe(400);
    expect((await api(a.url, 'POST', '/api/collections/posts/records', { owner: ann.id }, ann.token)).status).toBe(400);

    const annList = await api(a.url, 'GET', '/api/collections/posts/records?filter=' + encodeURIComponent('title ~ "hel"'), undefined, ann.token);
    expect(annList.body.items.map((r: { title: string; tags: unknown }) => [r.title, r.tags])).toEqual([['Hello', ['x', 'y']]]);
    expect((await api(a.url, 'GET', '/api/collections/posts/records', undefined, bob.token)).body.items).toEqual([]);
    expect((await api(a.url, 'GET', `/api/collections/posts/records/${mine.body.id}`, undefined, bob.token)).status).toBe(404);
    const patched = await api(a.url, 'PATCH', `/api/collections/posts/records/${mine.body.id}`, { title: 'Hello again' }, admin);
    expect(patched.body.title).toBe('Hello again');
    expect((await api(a.url, 'DELETE', `/api/collections/posts/records/${mine.body.id}`, undefined, admin)).status).toBe(204);
    expect((await api(a.url, 'GET', `/api/collections/posts/records/${mine.body.id}`, undefined, admin)).status).toBe(404);
  });

  it('writes settings through the engine; a second node on the database reads them', async () => {
    const saved = await api(a.url, 'PATCH', '/api/settings', { meta: { appName: 'On Postgres' } }, admin);
    expect(saved.status).toBe(200);
    expect(saved.body.meta.appName).toBe('On Postgres');
    const b = await node();
    expect((await api(b.url, 'GET', '/api/settings', undefined, admin)).body.meta.appName).toBe('On Postgres');
    expect((await api(b.url, 'GET', '/api/collections/posts/records', undefined, admin)).status).toBe(200);
    expect(b.server.installToken()).toBeNull();
  });

  it('answers a clear 400 for backups and the SQL console', async () => {
    const backups = await api(a.url, 'GET', '/api/backups', undefined, admin);
    expect(backups.status).toBe(400);
    expect(backups.body.message).toContain('pg_dump');
    const sql = await api(a.url, 'POST', '/api/sql', { query: 'SELECT 1' }, admin);
    expect(sql.status).toBe(400);
    expect(sql.body.message).toContain('psql');
  });

  it('serves realtime from the node: an SSE client gets its id', async () => {
    const abort = new AbortController();
    const res = await fetch(a.url + '/api/realtime', { signal: abort.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('PB_CONNECT')) text += new TextDecoder().decode((await reader.read()).value);
    abort.abort();
    expect(text).toContain('clientId');
  });
});
