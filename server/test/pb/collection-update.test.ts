/**
 * PocketBase's `TestCollectionUpdate` (apis/collection_test.go): partial updates, renames (a
 * table used by a view keeps its view working), reserved and system fields, auth options, view
 * queries and index validation.
 */
import { describe, expect } from 'vitest';
import { fixtureOf, indexExistTestOnDemo1, useCollectionFixture } from './collection-fixture.ts';
import { runScenarios, type Scenario } from './scenario.ts';
import { NO_TX_WRITE_HOOK } from './tx-hooks.ts';

const { shared, fresh } = useCollectionFixture();

const scenarios: Scenario[] = [
  { name: 'unauthorized', method: 'PATCH', url: '/api/collections/demo1', status: 401, expect: ['"data":{}'] },
  { name: 'authorized as regular user', method: 'PATCH', url: '/api/collections/demo1', auth: 'user', status: 403, expect: ['"data":{}'] },
  { name: 'authorized as superuser + missing collection', method: 'PATCH', url: '/api/collections/missing', body: {}, auth: 'superuser', status: 404, expect: ['"data":{}'] },
  {
    name: 'authorized as superuser + empty body',
    method: 'PATCH',
    url: '/api/collections/demo1',
    body: {},
    auth: 'superuser',
    fresh: true,
    status: 200,
    expect: ['"id":"wsmn24bux7wo113"', '"name":"demo1"'],
  },
  { name: 'OnCollectionUpdateRequest tx body write check', method: 'PATCH', url: '/api/collections/demo1', status: 400, skip: NO_TX_WRITE_HOOK },
  {
    name: 'authorized as superuser + invalid data (eg. existing name)',
    method: 'PATCH',
    url: '/api/collections/demo1',
    body: { name: 'demo2', type: 'auth' },
    auth: 'superuser',
    status: 400,
    expect: ['"data":{', '"name":{"code":"validation_collection_name_exists"', '"type":{"code":"validation_collection_type_change"'],
  },
  {
    name: 'authorized as superuser + valid data',
    method: 'PATCH',
    url: '/api/collections/demo1',
    body: { name: 'new' },
    auth: 'superuser',
    fresh: true,
    status: 200,
    expect: ['"id":', '"name":"new"'],
    after: async (_res, t) => {
      expect(await fixtureOf(t).relationKind('new')).toBe('table');
      // view1 selects from demo1: it follows the rename and keeps answering
      const view1 = await t.api('GET', '/api/collections/view1', undefined, 'superuser');
      expect(view1.json.viewQuery).toMatch(/from\s+[`"]?new\b/i);
      const rows = await t.api('GET', '/api/collections/view2/records', undefined, 'superuser');
      expect(rows.status).toBe(200);
      expect(rows.json.totalItems).toBe(2);
    },
  },
  {
    name: 'trying to update collection with reserved fields',
    method: 'PATCH',
    url: '/api/collections/demo1',
    body: {
      name: 'new',
      fields: [
        { type: 'text', name: 'id', id: '_pbf_text_id_' },
        { type: 'text', name: 'created' },
        { type: 'text', name: 'updated' },
        { type: 'text', name: 'expand' },
        { type: 'text', name: 'collectionId' },
        { type: 'text', name: 'collectionName' },
      ],
    },
    auth: 'superuser',
    status: 400,
    // PocketBase: created/updated are ordinary fields there, so only 3-5 fail; here they are
    // system autodate fields, so text fields of those names fail too (0, the id, stays valid).
    diff: 'created/updated are system autodate fields',
    expect: [
      '"data":{"fields":{',
      '"1":{"type":{"code":"validation_system_field_type"',
      '"2":{"type":{"code":"validation_system_field_type"',
      '"3":{"name":{"code":"validation_not_in_invalid',
      '"4":{"name":{"code":"validation_not_in_invalid',
      '"5":{"name":{"code":"validation_not_in_invalid',
    ],
    notExpect: ['"0":'],
  },
  {
    name: 'trying to update collection with changed/removed system fields',
    method: 'PATCH',
    url: '/api/collections/demo1',
    body: { name: 'new', fields: [{ type: 'text', name: 'created' }] },
    auth: 'superuser',
    status: 400,
    // PocketBase reports the dropped id field; Hearth keeps system fields a list leaves out and
    // reports the retyped system field `created` instead.
    diff: 'created/updated are system autodate fields; omitted system fields are kept',
    expect: ['"data":{"fields":{', '"code":"validation_system_field_type"'],
    after: async (_res, t) => expect((await t.api('GET', '/api/collections/demo1', undefined, 'superuser')).json.fields.length).toBe(16),
  },
  {
    name: 'trying to update auth collection with invalid options',
    method: 'PATCH',
    url: '/api/collections/users',
    body: { passwordAuth: { identityFields: ['missing'] } },
    auth: 'superuser',
    status: 400,
    expect: ['"data":{', '"passwordAuth":{"identityFields":{"code":"validation_missing_field"'],
  },

  // view
  {
    name: 'trying to update view collection with invalid options',
    method: 'PATCH',
    url: '/api/collections/view1',
    body: { fields: [{ type: 'text', id: '12345789', name: 'ignored!@#$' }], viewQuery: 'invalid' },
    auth: 'superuser',
    status: 400,
    expect: ['"data":{', '"viewQuery":{"code":"validation_invalid_view_query"'],
  },
  {
    name: 'updating view collection',
    method: 'PATCH',
    url: '/api/collections/view2',
    body: {
      name: 'view2_update',
      fields: [{ type: 'text', id: '12345789', name: 'ignored!@#$' }],
      viewQuery: 'select 2 as id, created, updated, email from _superusers limit 1',
    },
    auth: 'superuser',
    fresh: true,
    status: 200,
    expect: ['"name":"view2_update"', '"type":"view"', '"fields":[{', '"name":"email"', '"name":"id"', '"name":"created"', '"name":"updated"'],
  },

  // indexes
  {
    name: 'updating base collection with invalid indexes',
    method: 'PATCH',
    url: '/api/collections/demo2',
    body: { indexes: ['create unique idx_test1 on demo1 (text)', 'create index idx_test2 on demo2 (id, title)'] },
    auth: 'superuser',
    status: 400,
    expect: ['"data":{', '"indexes":{"0":{"code":"'],
  },
  {
    name: 'updating base collection with index name from another collection',
    method: 'PATCH',
    url: '/api/collections/demo2',
    body: { indexes: ['create index exist_test on new (test)'] },
    auth: 'superuser',
    fresh: true,
    before: indexExistTestOnDemo1,
    status: 400,
    expect: ['"data":{', '"indexes":{', '"0":{"code":"validation_existing_index_name"'],
  },
  {
    name: 'updating base collection with 2 indexes using the same name',
    method: 'PATCH',
    url: '/api/collections/demo2',
    body: { indexes: ['create index duplicate_idx on new (created)', 'create index duplicate_idx on new (updated)'] },
    auth: 'superuser',
    status: 400,
    expect: ['"data":{', '"indexes":{', '"1":{"code":"validation_duplicated_index_name"'],
  },
  {
    name: 'updating base collection with valid indexes (+ random table name)',
    method: 'PATCH',
    url: '/api/collections/demo2',
    body: { indexes: ['create unique index idx_test1 on demo2 (title)', 'create index idx_test2 on anything (active)'] },
    auth: 'superuser',
    fresh: true,
    status: 200,
    expect: ['"name":"demo2"', '"indexes":[', 'idx_test1', 'idx_test2'],
    after: async (_res, t) => expect(await fixtureOf(t).tableIndexes('demo2')).toEqual(['idx_test1', 'idx_test2']),
  },
];

describe('PATCH /api/collections/:collection (TestCollectionUpdate)', () => {
  runScenarios(scenarios, shared, fresh);
});
