/**
 * PocketBase's `TestCollectionCreate` (apis/collection_test.go): base, auth and view collections,
 * reserved field names, and index validation (names used by other tables, duplicates, and index
 * SQL that names another table, which is rewritten to the collection's own table).
 */
import { describe, expect } from 'vitest';
import { fixtureOf, indexExistTestOnDemo1, useCollectionFixture } from './collection-fixture.ts';
import { runScenarios, type Scenario } from './scenario.ts';
import { NO_TX_WRITE_HOOK } from './tx-hooks.ts';

const { shared, fresh } = useCollectionFixture();

const ID_FIELD = '{"autogeneratePattern":"[a-z0-9]{15}","help":"","hidden":false,"id":"text3208210256","max":15,"min":15,"name":"id","pattern":"^[a-z0-9]+$","presentable":false,"primaryKey":true,"required":true,"system":true,"type":"text"}';

const scenarios: Scenario[] = [
  { name: 'unauthorized', method: 'POST', url: '/api/collections', status: 401, expect: ['"data":{}'] },
  {
    name: 'authorized as regular user',
    method: 'POST',
    url: '/api/collections',
    body: '{"name":"new","type":"base","fields":[{"type":"text","name":"test"}]}',
    auth: 'user',
    status: 403,
    expect: ['"data":{}'],
  },
  {
    name: 'authorized as superuser + empty data',
    method: 'POST',
    url: '/api/collections',
    body: '',
    auth: 'superuser',
    status: 400,
    expect: ['"data":{', '"name":{"code":"validation_required"'],
    notExpect: ['"fields":{'],
  },
  {
    name: 'authorized as superuser + invalid data (eg. existing name)',
    method: 'POST',
    url: '/api/collections',
    body: '{"name":"demo1","type":"base","fields":[{"type":"text","name":""}]}',
    auth: 'superuser',
    status: 400,
    expect: ['"data":{', '"fields":{', '"name":{"code":"validation_collection_name_exists"', '"name":{"code":"validation_required"'],
  },
  {
    name: 'authorized as superuser + valid data',
    method: 'POST',
    url: '/api/collections',
    body: '{"name":"new","type":"base","fields":[{"type":"text","id":"12345789","name":"test"}]}',
    auth: 'superuser',
    fresh: true,
    status: 200,
    expect: [
      '"id":',
      '"name":"new"',
      '"type":"base"',
      '"system":false',
      // the id field is prepended (PocketBase's list ends after `test`; Hearth appends its system
      // created/updated fields, see docs/compatibility.md)
      `"fields":[${ID_FIELD},{"autogeneratePattern":"","help":"","hidden":false,"id":"12345789","max":0,"min":0,"name":"test","pattern":"","presentable":false,"primaryKey":false,"required":false,"system":false,"type":"text"}`,
    ],
  },
  {
    name: 'creating auth collection (default settings merge test)',
    method: 'POST',
    url: '/api/collections',
    body: {
      name: 'new',
      type: 'auth',
      emailChangeToken: { duration: 123 },
      fields: [
        { type: 'text', id: '12345789', name: 'test' },
        { type: 'text', name: 'tokenKey', system: true, required: false, min: 10 },
      ],
    },
    auth: 'superuser',
    fresh: true,
    status: 200,
    expect: [
      '"id":',
      '"name":"new"',
      '"type":"auth"',
      '"system":false',
      '"passwordAuth":{"enabled":true,"identityFields":["email"]}',
      '"authRule":""',
      '"manageRule":null',
      '"name":"test"',
      '"name":"id"',
      '"name":"tokenKey"',
      '"name":"password"',
      '"name":"email"',
      '"name":"emailVisibility"',
      '"name":"verified"',
      '"duration":123',
      // the system field's required flag is forced, the sent min is kept
      '{"autogeneratePattern":"","help":"","hidden":true,"id":"text2504183744","max":0,"min":10,"name":"tokenKey","pattern":"","presentable":false,"primaryKey":false,"required":true,"system":true,"type":"text"}',
    ],
    notExpect: ['"secret":"'],
  },
  {
    name: 'creating base collection with reserved auth fields',
    method: 'POST',
    url: '/api/collections',
    body: {
      name: 'new',
      type: 'base',
      fields: ['email', 'username', 'verified', 'emailVisibility', 'lastResetSentAt', 'lastVerificationSentAt', 'tokenKey', 'passwordHash', 'password', 'passwordConfirm', 'oldPassword'].map((name) => ({ type: 'text', name })),
    },
    auth: 'superuser',
    fresh: true,
    status: 200,
    expect: ['"name":"new"', '"type":"base"', '"fields":[{'],
  },
  {
    name: 'trying to create base collection with reserved system fields',
    method: 'POST',
    url: '/api/collections',
    body: { name: 'new', type: 'base', fields: ['id', 'expand', 'collectionId', 'collectionName'].map((name) => ({ type: 'text', name })) },
    auth: 'superuser',
    status: 400,
    expect: ['"data":{"fields":{', '"1":{"name":{"code":"validation_not_in_invalid', '"2":{"name":{"code":"validation_not_in_invalid', '"3":{"name":{"code":"validation_not_in_invalid'],
  },
  {
    name: 'trying to create auth collection with reserved auth fields',
    method: 'POST',
    url: '/api/collections',
    body: { name: 'new', type: 'auth', fields: ['oldPassword', 'passwordConfirm'].map((name) => ({ type: 'text', name })) },
    auth: 'superuser',
    status: 400,
    expect: ['"data":{"fields":{', '"1":{"name":{"code":"validation_reserved_field_name', '"2":{"name":{"code":"validation_reserved_field_name'],
  },
  { name: 'OnCollectionCreateRequest tx body write check', method: 'POST', url: '/api/collections', status: 400, skip: NO_TX_WRITE_HOOK },

  // view
  {
    name: 'trying to create view collection with invalid options',
    method: 'POST',
    url: '/api/collections',
    body: { name: 'new', type: 'view', fields: [{ type: 'text', id: '12345789', name: 'ignored!@#$' }], viewQuery: "select '123' as abc" },
    auth: 'superuser',
    status: 400,
    expect: ['"data":{', '"viewQuery":{"code":"validation_invalid_view_query'],
  },
  {
    name: 'creating view collection',
    method: 'POST',
    url: '/api/collections',
    body: { name: 'new', type: 'view', fields: [{ type: 'text', id: '12345789', name: 'ignored!@#$' }], viewQuery: 'select 1 as id from _superusers limit 1' },
    auth: 'superuser',
    fresh: true,
    status: 200,
    expect: [
      '"name":"new"',
      '"type":"view"',
      '"fields":[{"autogeneratePattern":"","help":"","hidden":false,"id":"text3208210256","max":0,"min":0,"name":"id","pattern":"^[a-z0-9]+$","presentable":false,"primaryKey":true,"required":true,"system":true,"type":"text"}]',
    ],
  },

  // indexes
  {
    name: 'creating base collection with invalid indexes',
    method: 'POST',
    url: '/api/collections',
    body: { name: 'new', type: 'base', fields: [{ type: 'text', name: 'test' }], indexes: ['create index idx_test1 on new (test)', 'create index idx_test2 on new (missing)'] },
    auth: 'superuser',
    status: 400,
    expect: ['"data":{', '"indexes":{"1":{"code":"'],
  },
  {
    name: 'creating base collection with index name from another collection',
    method: 'POST',
    url: '/api/collections',
    body: { name: 'new', type: 'base', fields: [{ type: 'text', name: 'test' }], indexes: ['create index exist_test on new (test)'] },
    auth: 'superuser',
    fresh: true,
    before: indexExistTestOnDemo1,
    status: 400,
    expect: ['"data":{', '"indexes":{', '"0":{"code":"validation_existing_index_name"'],
  },
  {
    name: 'creating base collection with 2 indexes using the same name',
    method: 'POST',
    url: '/api/collections',
    body: { name: 'new', type: 'base', indexes: ['create index duplicate_idx on new (created)', 'create index duplicate_idx on new (updated)'] },
    auth: 'superuser',
    status: 400,
    expect: ['"data":{', '"indexes":{', '"1":{"code":"validation_duplicated_index_name"'],
  },
  {
    name: 'creating base collection with valid indexes (+ random table name)',
    method: 'POST',
    url: '/api/collections',
    body: { name: 'new', type: 'base', fields: [{ type: 'text', name: 'test' }], indexes: ['create index idx_test1 on new (test)', 'create index idx_test2 on anything (id, test)'] },
    auth: 'superuser',
    fresh: true,
    status: 200,
    expect: ['"name":"new"', '"type":"base"', '"indexes":[', 'idx_test1', 'idx_test2'],
    after: async (res, t) => {
      expect(await fixtureOf(t).tableIndexes('new')).toEqual(['idx_test1', 'idx_test2']);
      // the index that named another table is stored against the collection's own table
      expect(res.json.indexes.every((sql: string) => /\bon\s+[`"]?new[`"]?\s*\(/i.test(sql))).toBe(true);
    },
  },
];

describe('POST /api/collections (TestCollectionCreate)', () => {
  runScenarios(scenarios, shared, fresh);
});
