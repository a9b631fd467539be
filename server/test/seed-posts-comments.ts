/**
 * The posts-and-comments data set the query-cost tests (hardening-filter-cost,
 * hardening-query-budget) load: `posts` with N records of known ids, and `comments` relating to
 * them, written as superuser through /api/batch in chunks of 50.
 */
import { expect } from 'vitest';
import type { TestServer } from './harness.ts';

const CHUNK = 50;

export const postId = (i: number) => `post${String(i).padStart(11, '0')}`;

async function batch(t: TestServer, requests: unknown[]): Promise<void> {
  const res = await t.api('POST', '/api/batch', { requests }, t.adminToken);
  expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
}

export interface PostsAndComments {
  posts: number;
  comments: number;
  /** The relation fields of `comments` (after its `text` field), given the posts collection id. */
  relations: (postsId: string) => Record<string, unknown>[];
  /** The relation values of comment n. */
  relate: (n: number) => Record<string, unknown>;
}

export async function seedPostsAndComments(t: TestServer, spec: PostsAndComments): Promise<void> {
  const posts = await t.api('POST', '/api/collections', { name: 'posts', fields: [{ name: 'title', type: 'text' }], listRule: '', viewRule: '' }, t.adminToken);
  expect(posts.status).toBe(200);
  const comments = await t.api(
    'POST',
    '/api/collections',
    { name: 'comments', fields: [{ name: 'text', type: 'text' }, ...spec.relations(posts.body.id)], listRule: '', viewRule: '' },
    t.adminToken,
  );
  expect(comments.status).toBe(200);
  for (let i = 0; i < spec.posts; i += CHUNK) {
    await batch(t, Array.from({ length: CHUNK }, (_, k) => ({ method: 'POST', url: '/api/collections/posts/records', body: { id: postId(i + k), title: `post ${i + k}` } })));
  }
  for (let i = 0; i < spec.comments; i += CHUNK) {
    await batch(
      t,
      Array.from({ length: CHUNK }, (_, k) => ({ method: 'POST', url: '/api/collections/comments/records', body: { text: `comment ${i + k}`, ...spec.relate(i + k) } })),
    );
  }
}
