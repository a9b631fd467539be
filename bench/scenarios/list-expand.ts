/** Scenario 3: a page of 20 posts with their `author` relation expanded from `authors`. */
import { expectList } from './checks.ts';
import { PER_PAGE } from './list-filter.ts';
import type { Scenario } from './types.ts';

export const listExpand: Scenario = {
  id: 'list-expand',
  title: 'list expand=author',
  kind: 'read',
  auth: false,
  consumesIds: false,
  build: () => [{ method: 'GET', path: `/api/collections/posts/records?perPage=${PER_PAGE}&expand=author` }],
  check: (status, body) =>
    expectList(status, body, PER_PAGE, (r) => {
      const author = (r.expand as { author?: { id?: unknown } } | undefined)?.author;
      return author && author.id === r.author ? null : 'item without expand.author';
    }),
};
