/**
 * The read budget on PostgreSQL: a costly client query (a filter over an unindexable
 * back-relation, which SQLite sends to its read workers) runs on the engine's budget pool, whose
 * `statement_timeout` stops it past the budget with the same 400 as SQLite's; cheap queries and
 * the node keep answering after it. Data as in hardening-query-budget.test.ts, smaller: the
 * costly filter does posts × comments work for each of its eight terms, far past the budget.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../../../test-support/postgres.ts';
import { openServer, upsertSuperuser, type HearthServer } from '../../src/index.ts';
import type { TestServer } from '../harness.ts';
import { postId, seedPostsAndComments } from '../seed-posts-comments.ts';
import { START_TIMEOUT } from './both-engines.ts';
import { CHEAP, nodeApi } from './pg-nodes.ts';

const BUDGET_MS = 300;
const POSTS = 600;
const COMMENTS = 1800;
const q = encodeURIComponent;

let pg: TestPostgres;
let server: HearthServer;
let dir = '';
let t: Pick<TestServer, 'api' | 'adminToken'>;

beforeAll(async () => {
  pg = await startPostgres();
  dir = mkdtempSync(join(tmpdir(), 'hearth-pgbudget-'));
  server = await openServer({ dir, db: await pg.createDatabase('read_budget'), http: '127.0.0.1:0', logLevel: 'silent', passwordParams: CHEAP, reads: { budgetMs: BUDGET_MS } });
  await upsertSuperuser(server.engine, server.registry, 'root@example.com', 'correct horse battery', { passwordParams: CHEAP });
  const { url } = await server.listen();
  const api: TestServer['api'] = (method, path, body, token) => nodeApi(url, method, path, body, token);
  const adminToken = (await api('POST', '/api/collections/_superusers/auth-with-password', { identity: 'root@example.com', password: 'correct horse battery' })).body.token as string;
  t = { api, adminToken };
  await seedPostsAndComments(t as TestServer, {
    posts: POSTS,
    comments: COMMENTS,
    relations: (postsId) => [
      { name: 'posts', type: 'relation', collectionId: postsId, maxSelect: 5 },
      { name: 'post', type: 'relation', collectionId: postsId, maxSelect: 1 },
    ],
    relate: (n) => ({ post: postId(n % POSTS), posts: [postId(n % POSTS), postId((n * 7) % POSTS)] }),
  });
}, 240_000 + START_TIMEOUT);

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  await pg?.stop();
});

const slowFilter = Array.from({ length: 8 }, (_, i) => `comments_via_posts.text ~ 'zz${i}'`).join(' || ');

describe('the client query budget on PostgreSQL', { timeout: 120_000 }, () => {
  it('stops a costly filter past its budget with the 400 SQLite answers', async () => {
    const res = await t.api('GET', `/api/collections/posts/records?filter=${q(slowFilter)}`);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body).toMatchObject({ status: 400, data: {} });
    expect(res.body.message).toContain(`${BUDGET_MS} ms budget`);
  });

  it('keeps answering costly but cheap queries with the right rows, and everything else', async () => {
    const single = await t.api('GET', `/api/collections/posts/records?filter=${q("comments_via_post.text ?= 'comment 7'")}`);
    expect(single.status, JSON.stringify(single.body)).toBe(200);
    expect(single.body.items.map((r: { id: string }) => r.id)).toEqual([postId(7)]);
    expect(single.body.totalItems).toBe(1);
    expect((await t.api('GET', '/api/health')).status).toBe(200);
    expect((await t.api('POST', '/api/collections/posts/records', { title: 'after' }, t.adminToken)).status).toBe(200);
  });
});
