/**
 * PocketBase's `TestCollectionDelete` (apis/collection_test.go): by name or id (the collection's
 * stored files go too), system collections, collections another one references, and views.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, vi } from 'vitest';
import { fixtureOf, IDS, useCollectionFixture } from './collection-fixture.ts';
import { runScenarios, type Scenario, type ScenarioTarget } from './scenario.ts';
import { NO_TX_WRITE_HOOK } from './tx-hooks.ts';

const { shared, fresh } = useCollectionFixture();

/** Gives a demo5 record a file, so the delete has stored files to remove. */
async function uploadToDemo5(t: ScenarioTarget): Promise<void> {
  const form = new FormData();
  form.set('total', '4');
  form.set('file', new Blob(['hello'], { type: 'text/plain' }), 'hello.txt');
  const res = await fetch(`${t.url}/api/collections/demo5/records/la4y2w4o98acwuj`, { method: 'PATCH', body: form, headers: { authorization: t.tokens.superuser! } });
  expect(res.status).toBe(200);
  expect(readdirSync(join(fixtureOf(t).server.config.dir, 'storage', IDS.demo5)).length).toBeGreaterThan(0);
}

async function ensureDeletedFiles(t: ScenarioTarget): Promise<void> {
  const dir = join(fixtureOf(t).server.config.dir, 'storage', IDS.demo5);
  await vi.waitFor(() => expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]), { timeout: 10_000 });
  expect(await fixtureOf(t).relationKind('demo5')).toBeUndefined();
}

const scenarios: Scenario[] = [
  { name: 'unauthorized', method: 'DELETE', url: '/api/collections/demo1', status: 401, expect: ['"data":{}'] },
  { name: 'authorized as regular user', method: 'DELETE', url: '/api/collections/demo1', auth: 'user', status: 403, expect: ['"data":{}'] },
  { name: 'authorized as superuser + nonexisting collection identifier', method: 'DELETE', url: '/api/collections/missing', auth: 'superuser', status: 404, expect: ['"data":{}'] },
  {
    name: 'authorized as superuser + using the collection name',
    method: 'DELETE',
    url: '/api/collections/demo5',
    auth: 'superuser',
    fresh: true,
    before: uploadToDemo5,
    status: 204,
    after: (_res, t) => ensureDeletedFiles(t),
  },
  {
    name: 'authorized as superuser + using the collection id',
    method: 'DELETE',
    url: `/api/collections/${IDS.demo5}`,
    auth: 'superuser',
    fresh: true,
    before: uploadToDemo5,
    status: 204,
    after: (_res, t) => ensureDeletedFiles(t),
  },
  {
    name: 'authorized as superuser + trying to delete a system collection',
    method: 'DELETE',
    url: '/api/collections/_mfas',
    auth: 'superuser',
    status: 400,
    expect: ['"data":{}'],
  },
  // Not in PocketBase's file: the same for _superusers.
  { name: 'trying to delete the _superusers system collection', method: 'DELETE', url: '/api/collections/_superusers', auth: 'superuser', status: 400, expect: ['"data":{}'] },
  { name: 'authorized as superuser + trying to delete a referenced collection', method: 'DELETE', url: '/api/collections/demo2', auth: 'superuser', status: 400, expect: ['"data":{}'] },
  {
    name: 'authorized as superuser + deleting a view',
    method: 'DELETE',
    url: '/api/collections/view2',
    auth: 'superuser',
    fresh: true,
    status: 204,
    after: async (_res, t) => expect((await t.api('GET', '/api/collections/view2', undefined, 'superuser')).status).toBe(404),
  },
  { name: 'OnCollectionDeleteRequest tx body write check', method: 'DELETE', url: '/api/collections/view2', status: 400, skip: NO_TX_WRITE_HOOK },
];

describe('DELETE /api/collections/:collection (TestCollectionDelete)', () => {
  runScenarios(scenarios, shared, fresh);
});
