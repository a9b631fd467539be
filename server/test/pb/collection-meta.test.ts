/**
 * PocketBase's `TestCollectionScaffolds`, `TestCollectionOAuth2Providers` and
 * `TestCollectionTestView` (apis/collection_test.go): the blank collection of each type the admin
 * UI starts from, the OAuth2 provider types it offers, and the dry run of a view query (its fields
 * and a sample of rows, nothing created).
 */
import { describe, expect } from 'vitest';
import { fixtureOf, useCollectionFixture } from './collection-fixture.ts';
import { runScenarios, type Scenario } from './scenario.ts';

const { shared } = useCollectionFixture();

describe('GET /api/collections/meta/scaffolds (TestCollectionScaffolds)', () => {
  runScenarios(
    [
      { name: 'unauthorized', method: 'GET', url: '/api/collections/meta/scaffolds', status: 401, expect: ['"data":{}'] },
      { name: 'authorized as regular user', method: 'GET', url: '/api/collections/meta/scaffolds', auth: 'user', status: 403, expect: ['"data":{}'] },
      {
        name: 'authorized as superuser',
        method: 'GET',
        url: '/api/collections/meta/scaffolds',
        auth: 'superuser',
        status: 200,
        expect: ['"id":""', '"name":""', '"auth":{', '"base":{', '"view":{', '"type":"auth"', '"type":"base"', '"type":"view"', '"fields":[{', '"id":"text3208210256"'],
        after: (res) => {
          const fieldNames = (type: string) => res.json[type].fields.map((f: { name: string }) => f.name);
          // created/updated are system fields in Hearth (docs/compatibility.md)
          expect(fieldNames('base')).toEqual(['id', 'created', 'updated']);
          expect(fieldNames('auth')).toEqual(expect.arrayContaining(['id', 'password', 'tokenKey', 'email', 'emailVisibility', 'verified']));
          expect(res.json.view.viewQuery).toBe('');
          expect(res.text).not.toContain('"tokenSecret"');
        },
      },
    ],
    shared,
  );
});

const PROVIDERS = '/api/collections/meta/oauth2-providers';

describe('GET /api/collections/meta/oauth2-providers (TestCollectionOAuth2Providers)', () => {
  runScenarios(
    [
      { name: 'unauthorized', method: 'GET', url: PROVIDERS, status: 401, expect: ['"data":{}'] },
      { name: 'authorized as regular user', method: 'GET', url: PROVIDERS, auth: 'user', status: 403, expect: ['"data":{}'] },
      {
        name: 'authorized as superuser',
        method: 'GET',
        url: PROVIDERS,
        auth: 'superuser',
        status: 200,
        expect: ['{"name":"oidc3","displayName":"OIDC","logo":"\\u003csvg'],
        notExpect: ['"order":', '"pkce":', '"scopes":', '"authURL":', '"tokenURL":', '"userInfoURL":'],
        after: (res) => {
          // Hearth lists the providers it supports, in PocketBase's order (then by name).
          expect(res.json.map((p: { name: string }) => p.name)).toEqual(['apple', 'google', 'microsoft', 'github', 'discord', 'oidc', 'oidc2', 'oidc3']);
          for (const p of res.json) expect(Object.keys(p)).toEqual(['name', 'displayName', 'logo']);
          expect(res.json[0].logo).toMatch(/^<svg[^>]*>.*<\/svg>$/);
          expect(res.text).not.toContain('<');
        },
      },
      // Served through the `:collection` parameter: any other first segment is not this route.
      { name: 'another collection name is not the meta route', method: 'GET', url: '/api/collections/users/oauth2-providers', auth: 'superuser', status: 404, expect: ['"data":{}'] },
    ],
    shared,
  );
});

const DRY_RUN = '/api/collections/meta/dry-run-view';

const dryRun: Scenario[] = [
  { name: 'unauthorized', method: 'POST', url: DRY_RUN, body: { query: 'select 1 as id' }, status: 401, expect: ['"data":{}'] },
  { name: 'authorized as regular user', method: 'POST', url: DRY_RUN, body: { query: 'select 1 as id' }, auth: 'user', status: 403, expect: ['"data":{}'] },
  {
    name: 'authorized as superuser',
    method: 'POST',
    url: DRY_RUN,
    body: { query: 'select 1 as id' },
    auth: 'superuser',
    status: 200,
    expect: ['"fields":[{', '"name":"id"', '"type":"text"', '"sample":[{', '"id":"1"'],
  },
  { name: 'empty query', method: 'POST', url: DRY_RUN, body: { query: '' }, auth: 'superuser', status: 400, expect: ['"data":{"query":'] },
  { name: 'query length beyond validator limit', method: 'POST', url: DRY_RUN, body: { query: 'a'.repeat(5001) }, auth: 'superuser', status: 400, expect: ['"data":{"query":'] },
  {
    name: 'query with length equal to the validator limit',
    method: 'POST',
    url: DRY_RUN,
    body: { query: `select 1 as id${' '.repeat(4986)}` },
    auth: 'superuser',
    status: 200,
    expect: ['"fields":[{', '"name":"id"', '"type":"text"', '"sample":[', '"id":"1"'],
  },
  { name: 'missing ids sample', method: 'POST', url: DRY_RUN, body: { query: "(select 1 as id union select '' as id)" }, auth: 'superuser', status: 400, expect: ['"data":{}', 'Raw error:'] },
  { name: 'duplicated ids sample', method: 'POST', url: DRY_RUN, body: { query: '(select 1 as id union all select 1 as id)' }, auth: 'superuser', status: 400, expect: ['"data":{}', 'Raw error:'] },
  {
    name: 'write query',
    method: 'POST',
    url: DRY_RUN,
    body: { query: 'CREATE TABLE t1(x INT)' },
    auth: 'superuser',
    status: 400,
    expect: ['"data":{}', 'Raw error:'],
    after: async (_res, t) => expect(await fixtureOf(t).relationKind('t1')).toBeUndefined(),
  },
  // Not in PocketBase's file: field types come from the source columns, hidden fields stay out of
  // the sample, and nothing is left behind.
  {
    name: 'source field types and no hidden values in the sample',
    method: 'POST',
    url: DRY_RUN,
    body: { query: 'select id, bool, text, tokenKey from demo1 join users on 1=1 limit 1' },
    auth: 'superuser',
    status: 400,
    expect: ['"data":{}'],
  },
  {
    name: 'types follow the source columns',
    method: 'POST',
    url: DRY_RUN,
    body: { query: "select id, bool, number, email from demo1 where text = 'test'" },
    auth: 'superuser',
    status: 200,
    after: async (res, t) => {
      expect(res.json.fields.map((f: { name: string; type: string }) => [f.name, f.type])).toEqual([['id', 'text'], ['bool', 'bool'], ['number', 'number'], ['email', 'email']]);
      expect(res.json.sample).toEqual([expect.objectContaining({ id: '84nmscqy84lsi1t', bool: true, number: 0, email: '' })]);
      expect(await fixtureOf(t).viewNames()).toEqual(['numeric_id_view', 'view1', 'view2']);
    },
  },
  {
    name: 'hidden fields are not in the sample',
    method: 'POST',
    url: DRY_RUN,
    body: { query: 'select id, email, tokenKey, password from users' },
    auth: 'superuser',
    status: 200,
    notExpect: ['"tokenKey":"', '"password":"'],
  },
];

describe('POST /api/collections/meta/dry-run-view (TestCollectionTestView)', () => {
  runScenarios(dryRun, shared);
});
