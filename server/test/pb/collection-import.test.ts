/**
 * PocketBase's `TestCollectionsImport` (apis/collection_import_test.go): an import is one
 * transaction (a failure leaves every collection as it was), creates, updates and, with
 * deleteMissing, deletes. Added here: rules and relations that name collections created by the
 * same import, renames, and fields kept or dropped by deleteMissing.
 */
import { describe, expect } from 'vitest';
import { fixtureOf, useCollectionFixture } from './collection-fixture.ts';
import { runScenarios, type Scenario, type ScenarioTarget } from './scenario.ts';
import { NO_TX_WRITE_HOOK } from './tx-hooks.ts';

const { shared, fresh } = useCollectionFixture();

/** The fixture's collection count (as PocketBase's). */
const TOTAL = 16;
const count = async (t: ScenarioTarget) => (await fixtureOf(t).collectionNames()).length;
const unchanged = async (_res: unknown, t: ScenarioTarget) => expect(await count(t)).toBe(TOTAL);

const text = (name: string, id?: string) => ({ ...(id ? { id } : {}), name, type: 'text' });

const scenarios: Scenario[] = [
  { name: 'unauthorized', method: 'PUT', url: '/api/collections/import', status: 401, expect: ['"data":{}'] },
  { name: 'authorized as regular user', method: 'PUT', url: '/api/collections/import', auth: 'user', status: 403, expect: ['"data":{}'] },
  {
    name: 'authorized as superuser + empty collections',
    method: 'PUT',
    url: '/api/collections/import',
    body: { collections: [] },
    auth: 'superuser',
    status: 400,
    expect: ['"data":{', '"collections":{"code":"validation_required"'],
    after: unchanged,
  },
  {
    name: 'authorized as superuser + collections validator failure',
    method: 'PUT',
    url: '/api/collections/import',
    body: { collections: [{ name: 'import1' }, { name: 'import2', fields: [text('expand', 'koih1lqx')] }] },
    auth: 'superuser',
    status: 400,
    expect: ['"data":{', '"collections":{"code":"validation_collections_import_failure"', 'import2', 'fields'],
    notExpect: ['Raw error:'],
    after: unchanged,
  },
  { name: 'authorized as superuser + non-validator failure', method: 'PUT', url: '/api/collections/import', status: 400, skip: 'binds a Go OnCollectionCreate hook that fails' },
  {
    name: 'authorized as superuser + successful collections create',
    method: 'PUT',
    url: '/api/collections/import',
    body: {
      collections: [
        { name: 'import1', fields: [text('test', 'koih1lqx')] },
        { name: 'import2', fields: [text('test', 'koih1lqx')], indexes: ['create index idx_test on import2 (test)'] },
        { name: 'auth_without_fields', type: 'auth' },
      ],
    },
    auth: 'superuser',
    fresh: true,
    status: 204,
    after: async (_res, t) => {
      expect(await count(t)).toBe(TOTAL + 3);
      expect(await fixtureOf(t).tableIndexes('import2')).toContain('idx_test');
    },
  },
  {
    name: 'authorized as superuser + create/update/delete',
    method: 'PUT',
    url: '/api/collections/import',
    body: {
      deleteMissing: true,
      collections: [{ name: 'test123' }, { id: 'wsmn24bux7wo113', name: 'demo1', fields: [{ id: '_2hlxbmp', name: 'title', type: 'text', required: true }], indexes: [] }],
    },
    auth: 'superuser',
    fresh: true,
    status: 204,
    after: async (_res, t) => {
      const list = await t.api('GET', '/api/collections?perPage=100', undefined, 'superuser');
      const system = list.json.items.filter((c: { system: boolean }) => c.system).length;
      expect(list.json.totalItems).toBe(system + 2);
      const demo1 = list.json.items.find((c: { name: string }) => c.name === 'demo1');
      // deleteMissing drops the fields the import leaves out, keeping the system ones
      expect(demo1.fields.map((f: { name: string }) => f.name)).toEqual(['id', 'title', 'created', 'updated']);
    },
  },
  { name: 'OnCollectionsImportRequest tx body write check', method: 'PUT', url: '/api/collections/import', status: 400, skip: NO_TX_WRITE_HOOK },

  // Not in PocketBase's file: what an import may name and change.
  {
    name: 'rules and relations may name collections created later in the same import',
    method: 'PUT',
    url: '/api/collections/import',
    body: {
      collections: [
        {
          name: 'posts',
          fields: [text('title'), { name: 'author', type: 'relation', collectionId: 'pbc_authors0001', maxSelect: 1 }],
          listRule: "@collection.authors.name ?= 'x' || author.name != ''",
          viewRule: '@request.auth.id != ""',
        },
        { id: 'pbc_authors0001', name: 'authors', fields: [text('name')], listRule: '@collection.posts.title != ""' },
      ],
    },
    auth: 'superuser',
    fresh: true,
    status: 204,
    after: async (_res, t) => {
      const posts = await t.api('GET', '/api/collections/posts', undefined, 'superuser');
      expect(posts.json.listRule).toBe("@collection.authors.name ?= 'x' || author.name != ''");
      expect((await t.api('GET', '/api/collections/posts/records', undefined, 'user')).status).toBe(200);
    },
  },
  {
    name: 'a rule naming a field that exists nowhere fails the whole import',
    method: 'PUT',
    url: '/api/collections/import',
    body: { collections: [{ name: 'posts', fields: [text('title')], listRule: '@collection.authors.nope = 1' }, { name: 'authors', fields: [text('name')] }] },
    auth: 'superuser',
    fresh: true,
    status: 400,
    expect: ['"collections":{"code":"validation_collections_import_failure"', 'posts', 'listRule'],
    after: unchanged,
  },
  {
    name: 'a rename by id carries the records and the views that select from it',
    method: 'PUT',
    url: '/api/collections/import',
    body: { collections: [{ id: 'wsmn24bux7wo113', name: 'demo1_renamed' }] },
    auth: 'superuser',
    fresh: true,
    status: 204,
    after: async (_res, t) => {
      const records = await t.api('GET', '/api/collections/demo1_renamed/records', undefined, 'superuser');
      expect(records.json.totalItems).toBe(2);
      const view1 = await t.api('GET', '/api/collections/view1', undefined, 'superuser');
      expect(view1.json.viewQuery).toContain('from demo1_renamed');
      expect((await t.api('GET', '/api/collections/view2/records', undefined, 'superuser')).json.totalItems).toBe(2);
    },
  },
  {
    name: 'without deleteMissing, fields and collections the import leaves out are kept',
    method: 'PUT',
    url: '/api/collections/import',
    body: { collections: [{ id: 'wsmn24bux7wo113', name: 'demo1', fields: [text('extra')] }] },
    auth: 'superuser',
    fresh: true,
    status: 204,
    after: async (_res, t) => {
      expect(await count(t)).toBe(TOTAL);
      const demo1 = await t.api('GET', '/api/collections/demo1', undefined, 'superuser');
      expect(demo1.json.fields.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['text', 'bool', 'rel_many', 'extra']));
    },
  },
];

describe('PUT /api/collections/import (TestCollectionsImport)', () => {
  runScenarios(scenarios, shared, fresh);
});
