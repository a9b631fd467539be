/**
 * Client queries have a time budget and cannot hold up other requests. A filter that joins other
 * tables runs on a read worker (db/read-pool.ts): while it runs, health checks and writes answer;
 * past its budget it is stopped with a 400 naming the budget, and the workers keep serving.
 * Data: 1,000 posts and 3,000 comments, each comment naming two posts in a multiple relation, so
 * `comments_via_posts` has no index to use and costs posts × comments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './harness.ts';
import { postId, seedPostsAndComments } from './seed-posts-comments.ts';

const BUDGET_MS = 1000;
const POSTS = 1000;
const COMMENTS = 3000;
const q = encodeURIComponent;
let t: TestServer;

beforeAll(async () => {
  t = await startServer({ reads: { budgetMs: BUDGET_MS } });
  await seedPostsAndComments(t, {
    posts: POSTS,
    comments: COMMENTS,
    relations: (postsId) => [
      { name: 'posts', type: 'relation', collectionId: postsId, maxSelect: 5 },
      { name: 'post', type: 'relation', collectionId: postsId, maxSelect: 1 },
    ],
    relate: (n) => ({ post: postId(n % POSTS), posts: [postId(n % POSTS), postId((n * 7) % POSTS)] }),
  });
}, 180_000);
afterAll(() => t.close());

/** Many terms over the unindexable back-relation: seconds of work, far past the budget. */
const slowFilter = Array.from({ length: 8 }, (_, i) => `comments_via_posts.text ~ 'zz${i}'`).join(' || ');
const slowList = () => t.api('GET', `/api/collections/posts/records?filter=${q(slowFilter)}`);

describe('the client query budget', () => {
  it('a costly filter does not hold up health checks or writes, and is stopped past its budget', async () => {
    const finished: string[] = [];
    const slow = slowList().then((res) => {
      finished.push('slow');
      return res;
    });
    // Let the slow request reach the server first.
    await new Promise((r) => setTimeout(r, 50));
    const health = t.api('GET', '/api/health').then((res) => {
      finished.push('health');
      return res;
    });
    const write = t.api('POST', '/api/collections/posts/records', { title: 'written meanwhile' }, t.adminToken).then((res) => {
      finished.push('write');
      return res;
    });
    const [slowRes, healthRes, writeRes] = await Promise.all([slow, health, write]);
    expect(healthRes.status).toBe(200);
    expect(writeRes.status).toBe(200);
    expect(finished.indexOf('slow'), finished.join(' → ')).toBe(2);
    expect(slowRes.status, JSON.stringify(slowRes.body)).toBe(400);
    expect(slowRes.body).toMatchObject({ status: 400, data: {} });
    expect(slowRes.body.message).toContain(`${BUDGET_MS} ms budget`);
  }, 60_000);

  it('after a stopped query the workers keep answering, with the same rows as the data says', async () => {
    await expect(slowList().then((r) => r.status)).resolves.toBe(400);
    // A joining filter that is cheap (`?=`: any of the post's comments): comment 7 names post 7 (single relation) and post 49 (7 × 7).
    const single = await t.api('GET', `/api/collections/posts/records?filter=${q("comments_via_post.text ?= 'comment 7'")}`);
    expect(single.status).toBe(200);
    expect(single.body.items.map((r: { id: string }) => r.id)).toEqual([postId(7)]);
    expect(single.body.totalItems).toBe(1);
    // The unindexable back-relation is cheap when the outer rows are few.
    const multi = await t.api('GET', `/api/collections/posts/records?filter=${q(`id ?= '${postId(49)}' && comments_via_posts.text ?= 'comment 7'`)}`);
    expect(multi.status).toBe(200);
    expect(multi.body.items.map((r: { id: string }) => r.id)).toEqual([postId(49)]);
  }, 60_000);

  it('many costly queries at once: each ends (answer or budget), and health answers first', async () => {
    const slow = Array.from({ length: 6 }, () => slowList());
    await new Promise((r) => setTimeout(r, 50));
    let healthDone = false;
    let slowDoneBeforeHealth = 0;
    const tracked = slow.map((p) => p.then((res) => ((slowDoneBeforeHealth += healthDone ? 0 : 1), res)));
    const health = await t.api('GET', '/api/health');
    healthDone = true;
    expect(health.status).toBe(200);
    const results = await Promise.all(tracked);
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(400));
    expect(slowDoneBeforeHealth).toBe(0);
  }, 120_000);
});
