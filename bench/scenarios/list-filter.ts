/** Scenario 2: a page of 20 posts filtered and sorted on the (category, rank) index. */
import { CATEGORIES } from './dataset.ts';
import { expectList } from './checks.ts';
import type { Scenario } from './types.ts';

export const PER_PAGE = 20;

export const listFilter: Scenario = {
  id: 'list-filter',
  title: 'list filter+sort',
  kind: 'read',
  auth: false,
  consumesIds: false,
  build({ count }) {
    return Array.from({ length: Math.min(count, CATEGORIES) }, (_, i) => ({
      method: 'GET',
      path: `/api/collections/posts/records?perPage=${PER_PAGE}&filter=${encodeURIComponent(`(category='c${i}')`)}&sort=-rank`,
    }));
  },
  check: (status, body) =>
    expectList(status, body, PER_PAGE, (r) => (typeof r.category === 'string' && /^c\d$/.test(r.category) ? null : 'bad item')),
};
