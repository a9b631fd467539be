/** Scenario 1: GET one post by a random id over the 10,000 seeded rows (public viewRule ""). */
import { prng } from './dataset.ts';
import { expectRecord } from './checks.ts';
import type { Scenario } from './types.ts';

export const getById: Scenario = {
  id: 'get-by-id',
  title: 'GET /records/:id',
  kind: 'read',
  auth: false,
  consumesIds: false,
  build({ data, count, seed }) {
    const rnd = prng(seed);
    const posts = data.rows.posts!;
    return Array.from({ length: count }, () => ({
      method: 'GET',
      path: `/api/collections/posts/records/${posts[Math.floor(rnd() * posts.length)]!.id}`,
    }));
  },
  check: (status, body) => expectRecord(status, body, ['title', 'category', 'rank', 'author']),
};
