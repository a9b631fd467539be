/**
 * PocketBase's `TestCollectionsList` and `TestCollectionView` (apis/collection_test.go): the
 * collections list with paging, sort and filter, and one collection by name or id.
 */
import { describe, expect, it } from 'vitest';
import { useCollectionFixture } from './collection-fixture.ts';
import { runScenarios, type Scenario } from './scenario.ts';
import { refuseAfterResponse, withHooksServer } from './tx-hooks.ts';

const { shared } = useCollectionFixture();

/** PocketBase's "tx body write check" as a request hook (a hooks file) that refuses after the answer. */
function refusedAfterAnswer(path: string, prepare?: (api: (m: string, p: string, b?: unknown) => Promise<unknown>) => Promise<unknown>) {
  return async () => {
    const res = await withHooksServer(refuseAfterResponse(path, 'path'), async (h) => {
      await prepare?.((m, p, b) => h.api(m, p, b, h.adminToken));
      return h.api('GET', path, undefined, h.adminToken);
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('TX_ERROR');
  };
}

const SYSTEM_NAMES = ['_superusers', '_authOrigins', '_externalAuths', '_mfas', '_otps'];
const NAMES = ['users', 'nologin', 'clients', 'demo1', 'demo2', 'demo3', 'demo4', 'demo5', 'numeric_id_view', 'view1', 'view2'];

describe('GET /api/collections (TestCollectionsList)', () => {
  const scenarios: Scenario[] = [
    { name: 'unauthorized', method: 'GET', url: '/api/collections', status: 401, expect: ['"data":{}'] },
    { name: 'authorized as regular user', method: 'GET', url: '/api/collections', auth: 'user', status: 403, expect: ['"data":{}'] },
    {
      name: 'authorized as superuser',
      method: 'GET',
      url: '/api/collections',
      auth: 'superuser',
      status: 200,
      expect: [
        '"page":1',
        '"perPage":30',
        '"totalItems":16',
        '"items":[{',
        ...[...SYSTEM_NAMES, ...NAMES].map((n) => `"name":"${n}"`),
        '"type":"auth"',
        '"type":"base"',
        '"type":"view"',
      ],
    },
    {
      // PocketBase's fixture has fixed creation times (its system collections are the newest);
      // here the fixture's own collections are created last, so page 2 is checked against the
      // full list sorted the same way.
      name: 'authorized as superuser + paging and sorting',
      method: 'GET',
      url: '/api/collections?page=2&perPage=2&sort=-created',
      auth: 'superuser',
      status: 200,
      expect: ['"page":2', '"perPage":2', '"totalItems":16', '"items":[{'],
      after: async (res, t) => {
        const all = await t.api('GET', '/api/collections?perPage=100&sort=-created', undefined, 'superuser');
        expect(res.json.items.map((c: { name: string }) => c.name)).toEqual(all.json.items.slice(2, 4).map((c: { name: string }) => c.name));
        const created = all.json.items.map((c: { created: string }) => c.created);
        expect(created).toEqual([...created].sort().reverse());
      },
    },
    {
      name: 'authorized as superuser + invalid filter',
      method: 'GET',
      url: "/api/collections?filter=invalidfield~'demo2'",
      auth: 'superuser',
      status: 400,
      expect: ['"data":{}'],
    },
    {
      name: 'authorized as superuser + valid filter',
      method: 'GET',
      url: "/api/collections?filter=name~'demo'",
      auth: 'superuser',
      status: 200,
      expect: ['"page":1', '"perPage":30', '"totalItems":5', '"items":[{', '"name":"demo1"', '"name":"demo2"', '"name":"demo3"', '"name":"demo4"', '"name":"demo5"'],
    },
    // Not in PocketBase's file: the list's other query options, as PocketBase's search provider has them.
    {
      name: 'sort by name ascending with a filter on type and system',
      method: 'GET',
      url: `/api/collections?filter=${encodeURIComponent("type = 'view' && system = false")}&sort=name`,
      auth: 'superuser',
      status: 200,
      expect: ['"totalItems":3'],
      after: (res) => expect(res.json.items.map((c: { name: string }) => c.name)).toEqual(['numeric_id_view', 'view1', 'view2']),
    },
    {
      name: 'fields picks the returned keys',
      method: 'GET',
      url: `/api/collections?fields=id,name&filter=${encodeURIComponent("name = 'demo1'")}`,
      auth: 'superuser',
      status: 200,
      after: (res) => expect(res.json.items).toEqual([{ id: 'wsmn24bux7wo113', name: 'demo1' }]),
    },
    { name: 'sort by an unknown field', method: 'GET', url: '/api/collections?sort=viewQuery', auth: 'superuser', status: 400, expect: ['"data":{}'] },
  ];
  runScenarios(scenarios, shared);
  it('OnCollectionsListRequest tx body write check', refusedAfterAnswer('/api/collections'));
});

describe('GET /api/collections/:collection (TestCollectionView)', () => {
  runScenarios(
    [
      { name: 'unauthorized', method: 'GET', url: '/api/collections/demo1', status: 401, expect: ['"data":{}'] },
      { name: 'authorized as regular user', method: 'GET', url: '/api/collections/demo1', auth: 'user', status: 403, expect: ['"data":{}'] },
      { name: 'authorized as superuser + nonexisting collection identifier', method: 'GET', url: '/api/collections/missing', auth: 'superuser', status: 404, expect: ['"data":{}'] },
      { name: 'authorized as superuser + using the collection name', method: 'GET', url: '/api/collections/demo1', auth: 'superuser', status: 200, expect: ['"id":"wsmn24bux7wo113"', '"name":"demo1"'] },
      { name: 'authorized as superuser + using the collection id', method: 'GET', url: '/api/collections/wsmn24bux7wo113', auth: 'superuser', status: 200, expect: ['"id":"wsmn24bux7wo113"', '"name":"demo1"'] },
    ],
    shared,
  );
  it(
    'OnCollectionViewRequest tx body write check',
    // The hook wraps only this path, so creating the collection first is unaffected.
    refusedAfterAnswer('/api/collections/wsmn24bux7wo113', (api) => api('POST', '/api/collections', { id: 'wsmn24bux7wo113', name: 'demo1' })),
  );
});
