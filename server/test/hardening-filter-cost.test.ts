/**
 * What one anonymous filter may cost. Single relation columns are indexed automatically (so a
 * back-relation is an index look-up, not a scan per row), and a client filter may join at most
 * MAX_FILTER_JOINS tables, MAX_FILTER_BACK_RELATIONS of them back-relations — past that it is a
 * 400 naming the limit, before any SQL runs. Data: 2,000 posts and 4,000 comments, as in the
 * probe that once stalled the server for 13 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FILTER_BACK_RELATIONS, MAX_FILTER_JOINS } from '../src/query/limits.ts';
import { RELATION_INDEX_PREFIX } from '../src/collections/ddl/relation-indexes.ts';
import { indexColumns } from './engine-state.ts';
import { startServer, type TestServer } from './harness.ts';
import { postId, seedPostsAndComments } from './seed-posts-comments.ts';

let t: TestServer;
const POSTS = 2000;
const COMMENTS = 4000;
const q = encodeURIComponent;

/** The automatic relation indexes of `table` with their columns, from the engine's catalog. */
const relationIndexes = async (table: string) => (await indexColumns(t.server.engine, table)).filter((i) => i.name.startsWith(RELATION_INDEX_PREFIX));

/** The plan of a back-relation look-up on `comments.post`, as the engine explains it. */
async function lookupPlan(): Promise<string> {
  const sql = 'SELECT 1 FROM "comments" WHERE "post" = ?';
  const { engine } = t.server;
  if (engine.kind === 'sqlite') return (await engine.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, ['x'])).map((p) => p.detail).join('\n');
  // Whether the index serves the look-up, not what a planner picks for a table this small.
  return engine.transaction(async (tx) => {
    await tx.exec('SET LOCAL enable_seqscan = off');
    return (await tx.all<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, ['x'])).map((p) => p['QUERY PLAN']).join('\n');
  });
}

beforeAll(async () => {
  t = await startServer();
  await seedPostsAndComments(t, {
    posts: POSTS,
    comments: COMMENTS,
    relations: (postsId) => [{ name: 'post', type: 'relation', collectionId: postsId, maxSelect: 1 }],
    relate: (n) => ({ post: postId(n % POSTS) }),
  });
}, 120_000);
afterAll(() => t.close());

const viaTerms = (n: number) => Array.from({ length: n }, (_, i) => `comments_via_post.text ~ 'zz${i}'`).join(' || ');

describe('automatic relation indexes', () => {
  it('a single relation column has an index, which the engine uses for the back-relation look-up', async () => {
    const [index] = await relationIndexes('comments');
    expect(index?.columns).toEqual(['post']);
    expect(await lookupPlan()).toContain(index!.name);
  });

  it('follows the field: renamed with it, gone when it becomes multiple or is removed, back when re-added', async () => {
    await t.api('POST', '/api/collections', { name: 'tags', fields: [{ name: 'label', type: 'text' }] }, t.adminToken);
    const tags = t.server.registry.get('tags');
    const made = await t.api('POST', '/api/collections', { name: 'links', fields: [{ name: 'tag', type: 'relation', collectionId: tags.id, maxSelect: 1 }] }, t.adminToken);
    expect(made.status).toBe(200);
    expect(await relationIndexes('links')).toHaveLength(1);
    const field = (over: Record<string, unknown>) => ({ ...made.body.fields.find((f: { name: string }) => f.name === 'tag'), ...over });
    const others = made.body.fields.filter((f: { name: string }) => f.name !== 'tag');

    expect((await t.api('PATCH', '/api/collections/links', { name: 'links2', fields: [...others, field({ name: 'label' })] }, t.adminToken)).status).toBe(200);
    expect((await relationIndexes('links2')).map((i) => i.columns)).toEqual([['label']]);

    expect((await t.api('PATCH', '/api/collections/links2', { fields: [...others, field({ name: 'label', maxSelect: 5 })] }, t.adminToken)).status).toBe(200);
    expect(await relationIndexes('links2')).toHaveLength(0);

    expect((await t.api('PATCH', '/api/collections/links2', { fields: [...others, field({ name: 'label', maxSelect: 1 })] }, t.adminToken)).status).toBe(200);
    expect(await relationIndexes('links2')).toHaveLength(1);

    expect((await t.api('PATCH', '/api/collections/links2', { fields: others }, t.adminToken)).status).toBe(200);
    expect(await relationIndexes('links2')).toHaveLength(0);
  });

  it('a user index that leads with the column replaces it; names starting with _hearth_ are reserved', async () => {
    const posts = t.server.registry.get('posts');
    const made = await t.api(
      'POST',
      '/api/collections',
      { name: 'notes', fields: [{ name: 'post', type: 'relation', collectionId: posts.id, maxSelect: 1 }], indexes: ['CREATE INDEX idx_notes_post ON notes (post)'] },
      t.adminToken,
    );
    expect(made.status).toBe(200);
    expect(await relationIndexes('notes')).toHaveLength(0);
    expect((await t.api('PATCH', '/api/collections/notes', { indexes: [] }, t.adminToken)).status).toBe(200);
    expect(await relationIndexes('notes')).toHaveLength(1);
    const reserved = await t.api('PATCH', '/api/collections/notes', { indexes: ['CREATE INDEX _hearth_x ON notes (post)'] }, t.adminToken);
    expect(reserved.status).toBe(400);
    expect(reserved.body.data.indexes['0'].message).toContain('reserved');
  });
});

describe('filter cost limits', () => {
  it.each([10, 20])('the %i-term back-relation probe is a 400 naming MAX_FILTER_BACK_RELATIONS', async (n) => {
    const res = await t.api('GET', `/api/collections/posts/records?filter=${q(viaTerms(n))}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('MAX_FILTER_BACK_RELATIONS');
  });

  it('a filter at the back-relation limit answers, with the right rows', async () => {
    const terms = [...Array.from({ length: MAX_FILTER_BACK_RELATIONS - 1 }, (_, i) => `comments_via_post.text ~ 'zz${i}'`), `comments_via_post.text ?= 'comment 4'`];
    const res = await t.api('GET', `/api/collections/posts/records?filter=${q(terms.join(' || '))}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((p: { title: string }) => p.title)).toEqual(['post 4']);
  });

  it('forward relation paths count toward MAX_FILTER_JOINS', async () => {
    const terms = (n: number) => Array.from({ length: n }, (_, i) => `post.title = 'x${i}'`).join(' || ');
    expect((await t.api('GET', `/api/collections/comments/records?filter=${q(terms(MAX_FILTER_JOINS))}`)).status).toBe(200);
    const over = await t.api('GET', `/api/collections/comments/records?filter=${q(terms(MAX_FILTER_JOINS + 1))}`);
    expect(over.status).toBe(400);
    expect(over.body.message).toContain('MAX_FILTER_JOINS');
  });

  it('admin-written rules are not bounded by the client limits', async () => {
    const rule = viaTerms(MAX_FILTER_BACK_RELATIONS + 2) + " || title != ''";
    expect((await t.api('PATCH', '/api/collections/posts', { listRule: rule }, t.adminToken)).status).toBe(200);
    const res = await t.api('GET', '/api/collections/posts/records?perPage=1');
    expect(res.status).toBe(200);
    expect(res.body.totalItems).toBe(POSTS);
    expect((await t.api('PATCH', '/api/collections/posts', { listRule: '' }, t.adminToken)).status).toBe(200);
  });
});
