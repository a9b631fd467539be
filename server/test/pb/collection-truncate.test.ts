/**
 * PocketBase's `TestCollectionTruncate` (apis/collection_test.go): truncating deletes every record
 * as a record delete would (cascades run, required references refuse), and views cannot be.
 */
import { describe, expect } from 'vitest';
import { useCollectionFixture } from './collection-fixture.ts';
import { runScenarios, type Scenario } from './scenario.ts';

const { shared, fresh } = useCollectionFixture();

const count = async (t: Parameters<NonNullable<Scenario['after']>>[1], collection: string) =>
  (await t.api('GET', `/api/collections/${collection}/records`, undefined, 'superuser')).json.totalItems;

const scenarios: Scenario[] = [
  { name: 'unauthorized', method: 'DELETE', url: '/api/collections/demo5/truncate', status: 401, expect: ['"data":{}'] },
  { name: 'authorized as regular user', method: 'DELETE', url: '/api/collections/demo5/truncate', auth: 'user', status: 403, expect: ['"data":{}'] },
  {
    name: 'authorized as superuser',
    method: 'DELETE',
    url: '/api/collections/demo5/truncate',
    auth: 'superuser',
    fresh: true,
    status: 204,
    after: async (_res, t) => expect(await count(t, 'demo5')).toBe(0),
  },
  {
    name: 'authorized as superuser but collection with required cascade delete references',
    method: 'DELETE',
    url: '/api/collections/demo3/truncate',
    auth: 'superuser',
    fresh: true,
    status: 400,
    expect: ['"data":{}'],
    // nothing was deleted: neither demo3's records nor the demo4 records that cascade from them
    after: async (_res, t) => {
      expect(await count(t, 'demo3')).toBe(4);
      expect(await count(t, 'demo4')).toBe(2);
    },
  },
  { name: 'authorized as superuser trying to truncate view collection', method: 'DELETE', url: '/api/collections/view2/truncate', auth: 'superuser', status: 400, expect: ['"data":{}'] },
  // Not in PocketBase's file: a truncate whose references allow it runs the cascades.
  {
    name: 'truncate cascades to records whose required references are all cascading',
    method: 'DELETE',
    url: '/api/collections/demo4/truncate',
    auth: 'superuser',
    fresh: true,
    status: 204,
    after: async (_res, t) => {
      expect(await count(t, 'demo4')).toBe(0);
      // demo5.rel_one (not required, no cascade) is cleared, the record stays
      const demo5 = await t.api('GET', '/api/collections/demo5/records/qjeql998mtp1azp', undefined, 'superuser');
      expect(demo5.json.rel_one).toBe('');
    },
  },
  { name: 'the last superuser cannot be truncated away', method: 'DELETE', url: '/api/collections/_superusers/truncate', auth: 'superuser', status: 400, expect: ['"data":{}'] },
];

describe('DELETE /api/collections/:collection/truncate (TestCollectionTruncate)', () => {
  runScenarios(scenarios, shared, fresh);
});
