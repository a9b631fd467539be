/** PocketBase's `apis/record_crud_test.go` TestRecordCrudList scenarios, replayed against Hearth. */
import { afterAll, beforeAll, describe } from 'vitest';
import { startCrudFixture, type CrudFixture } from './crud-fixture.ts';
import { rateLimited, runCrudScenarios, type CrudScenario } from './crud-scenarios.ts';
import { refuseAfterResponse } from './tx-hooks.ts';

let fx: CrudFixture;
beforeAll(async () => {
  fx = await startCrudFixture();
}, 120_000);
afterAll(() => fx?.close());

const q = encodeURIComponent;
const page = (totalItems: number, totalPages: number, perPage = 30) => ['"page":1', `"perPage":${perPage}`, `"totalItems":${totalItems}`, `"totalPages":${totalPages}`];
const DEMO2 = ['"id":"0yxhwia2amd8gec"', '"id":"achvryl401bhse3"', '"id":"llvuca81nly1qls"'];
const DEMO3 = ['"id":"1tmknxy2868d869"', '"id":"lcl9d87w22ml6jy"', '"id":"7nwo8tuiatetxdm"', '"id":"mk5fmymtx4wsprk"'];
const NOLOGIN = ['"id":"phhq3wr65cap535"', '"id":"dc49k6jgejn40h3"', '"id":"oos036e9xvqeexy"'];
const hideTitle = (listRule?: string) => async (s: { api: CrudFixture['api'] }) => {
  const col = (await s.api('GET', '/api/collections/demo3', undefined, 'superuser')).body;
  const fields = col.fields.map((f: any) => (f.name === 'title' ? { ...f, hidden: true } : f));
  const res = await s.api('PATCH', '/api/collections/demo3', { fields, ...(listRule ? { listRule } : {}) }, 'superuser');
  if (res.status !== 200) throw new Error(JSON.stringify(res.body));
};
const scenarios: CrudScenario[] = [
  { name: 'missing collection', method: 'GET', url: '/api/collections/missing/records', status: 404, expect: ['"data":{}'] },
  { name: 'unauthenticated trying to access nil rule collection (aka. need superuser auth)', method: 'GET', url: '/api/collections/demo1/records', status: 403, expect: ['"data":{}'] },
  { name: 'authenticated record trying to access nil rule collection (aka. need superuser auth)', method: 'GET', url: '/api/collections/demo1/records', auth: 'user', status: 403, expect: ['"data":{}'] },
  { name: 'public collection but with superuser only filter param (aka. @collection, @request, etc.)', method: 'GET', url: "/api/collections/demo2/records?filter=%40collection.demo2.title='test1'", status: 403, expect: ['"data":{}'] },
  { name: 'public collection but with superuser only sort param (aka. @collection, @request, etc.)', method: 'GET', url: '/api/collections/demo2/records?sort=@request.auth.title', status: 403, expect: ['"data":{}'] },
  { name: 'public collection but with ENCODED superuser only filter/sort (aka. @collection)', method: 'GET', url: '/api/collections/demo2/records?filter=%40collection.demo2.title%3D%27test1%27', status: 403, expect: ['"data":{}'] },
  { name: 'public collection', method: 'GET', url: '/api/collections/demo2/records', status: 200, expect: [...page(3, 1), '"items":[{', ...DEMO2] },
  { name: 'public collection (using the collection id)', method: 'GET', url: '/api/collections/sz5l5z67tg7gku0/records', status: 200, expect: [...page(3, 1), '"items":[{', ...DEMO2] },
  {
    name: 'authorized as superuser trying to access nil rule collection (aka. need superuser auth)',
    method: 'GET', url: '/api/collections/demo1/records', auth: 'superuser', status: 200,
    expect: [...page(3, 1), '"items":[{', '"id":"al1h9ijdeojtsjy"', '"id":"84nmscqy84lsi1t"', '"id":"imy661ixudk5izi"'],
  },
  {
    name: 'valid query params',
    method: 'GET', url: "/api/collections/demo1/records?filter=text~'test'&sort=-bool", auth: 'superuser', status: 200,
    expect: ['"page":1', '"perPage":30', '"totalItems":2', '"items":[{', '"id":"al1h9ijdeojtsjy"', '"id":"84nmscqy84lsi1t"'],
  },
  { name: 'invalid filter', method: 'GET', url: "/api/collections/demo1/records?filter=invalid~'test'", auth: 'superuser', status: 400, expect: ['"data":{}'] },
  {
    name: 'expand relations',
    method: 'GET', url: '/api/collections/demo1/records?expand=rel_one,rel_many.rel,missing&perPage=2&sort=created', auth: 'superuser', status: 200,
    expect: [
      ...page(3, 2, 2), '"items":[{', '"collectionName":"demo1"', '"id":"84nmscqy84lsi1t"', '"id":"al1h9ijdeojtsjy"', '"expand":{', '"rel_one":""', '"rel_one":{"',
      '"rel_many":[{', '"rel":{', '"rel":""', '"json":[1,2,3]', '"select_many":["optionB","optionC"]', '"select_many":["optionB"]',
      '"id":"0yxhwia2amd8gec"', '"id":"llvuca81nly1qls"', '"email":"test@example.com"', '"email":"test2@example.com"', '"email":"test3@example.com"',
    ],
    notExpect: ['"missing"', '"id":"imy661ixudk5izi"', '"expand":{"rel_one":""'],
  },
  { name: "authenticated record model that DOESN'T match the collection list rule", method: 'GET', url: '/api/collections/demo3/records', auth: 'user', status: 200, expect: ['"page":1', '"perPage":30', '"totalItems":0', '"items":[]'] },
  { name: 'authenticated record that matches the collection list rule', method: 'GET', url: '/api/collections/demo3/records', auth: 'client', status: 200, expect: [...page(4, 1), '"items":[{', ...DEMO3] },
  {
    name: 'authenticated regular record that matches the collection list rule with hidden field',
    method: 'GET', url: '/api/collections/demo3/records', auth: 'client', fresh: true, before: hideTitle("title ~ 'test'"), status: 200,
    expect: [...page(4, 1), '"items":[{', ...DEMO3],
  },
  { name: 'authenticated regular record filtering with a hidden field', method: 'GET', url: "/api/collections/demo3/records?filter=title~'test'", auth: 'client', fresh: true, before: hideTitle(), status: 400, expect: ['"data":{}'] },
  { name: 'superuser filtering with a hidden field', method: 'GET', url: "/api/collections/demo3/records?filter=title~'test'", auth: 'superuser', fresh: true, before: hideTitle(), status: 200, expect: [...page(4, 1), '"items":[{', ...DEMO3] },
  { name: ':rule modifer', method: 'GET', url: '/api/collections/demo5/records', status: 200, expect: [...page(1, 1), '"items":[{', '"id":"qjeql998mtp1azp"'] },
  {
    name: 'multi-match - at least one of (guest - non-satisfied relation filter API rule)',
    method: 'GET', url: `/api/collections/demo4/records?filter=${q('rel_many_no_cascade_required.files:length?=2')}`, status: 200,
    expect: [...page(0, 0), '"items":[]'],
  },
  {
    name: 'multi-match - at least one of (clients)',
    method: 'GET', url: `/api/collections/demo4/records?filter=${q('rel_many_no_cascade_required.files:length?=2')}`, auth: 'client', status: 200,
    expect: [...page(1, 1), '"items":[{', '"id":"qzaqccwrmva4o1n"'],
  },
  {
    name: 'multi-match - all (clients)',
    method: 'GET', url: `/api/collections/demo4/records?filter=${q('rel_many_no_cascade_required.files:length=2')}`, auth: 'client', status: 200,
    expect: [...page(0, 0), '"items":[]'],
  },
  { name: 'OnRecordsListRequest tx body write check', method: 'GET', url: '/api/collections/demo4/records', auth: 'superuser', hooks: refuseAfterResponse('demo4'), status: 400, expect: ['TX_ERROR'] },
  // auth collection
  {
    name: 'check email visibility as guest', method: 'GET', url: '/api/collections/nologin/records', status: 200,
    expect: [...page(3, 1), '"items":[{', ...NOLOGIN, '"email":"test2@example.com"', '"emailVisibility":true', '"emailVisibility":false'],
    notExpect: ['"tokenKey"', '"password"', '"email":"test@example.com"', '"email":"test3@example.com"'],
  },
  {
    name: 'check email visibility as any authenticated record', method: 'GET', url: '/api/collections/nologin/records', auth: 'client', status: 200,
    expect: [...page(3, 1), '"items":[{', ...NOLOGIN, '"email":"test2@example.com"', '"emailVisibility":true', '"emailVisibility":false'],
    notExpect: ['"tokenKey":"', '"password":""', '"email":"test@example.com"', '"email":"test3@example.com"'],
  },
  {
    name: 'check email visibility as manage auth record', method: 'GET', url: '/api/collections/nologin/records', auth: 'user', status: 200,
    expect: [...page(3, 1), '"items":[{', ...NOLOGIN, '"email":"test@example.com"', '"email":"test2@example.com"', '"email":"test3@example.com"', '"emailVisibility":true', '"emailVisibility":false'],
    notExpect: ['"tokenKey"', '"password"'],
  },
  {
    name: 'check email visibility as superuser', method: 'GET', url: '/api/collections/nologin/records', auth: 'superuser', status: 200,
    expect: [...page(3, 1), '"items":[{', ...NOLOGIN, '"email":"test@example.com"', '"email":"test2@example.com"', '"email":"test3@example.com"', '"emailVisibility":true', '"emailVisibility":false'],
    notExpect: ['"tokenKey"', '"password"'],
  },
  {
    name: 'check self email visibility resolver', method: 'GET', url: '/api/collections/nologin/records', auth: 'nologin', status: 200,
    expect: [...page(3, 1), '"items":[{', ...NOLOGIN, '"email":"test2@example.com"', '"email":"test@example.com"', '"emailVisibility":true', '"emailVisibility":false'],
    notExpect: ['"tokenKey"', '"password"', '"email":"test3@example.com"'],
  },
  // view collection
  {
    name: 'public view records', method: 'GET', url: '/api/collections/view2/records?filter=state=false', status: 200,
    expect: [...page(2, 1), '"items":[{', '"id":"al1h9ijdeojtsjy"', '"id":"imy661ixudk5izi"'],
    notExpect: ['"created"', '"updated"'],
  },
  { name: "guest that doesn't match the view collection list rule", method: 'GET', url: '/api/collections/view1/records', status: 200, expect: [...page(0, 0), '"items":[]'] },
  { name: 'authenticated record that matches the view collection list rule', method: 'GET', url: '/api/collections/view1/records', auth: 'user', status: 200, expect: [...page(1, 1), '"items":[{', '"id":"84nmscqy84lsi1t"', '"bool":true'] },
  { name: 'view collection with numeric ids', method: 'GET', url: '/api/collections/numeric_id_view/records', status: 200, expect: [...page(2, 1), '"items":[{', '"id":"1"', '"id":"2"'] },
  // rate limit checks
  rateLimited('view2:list', 'GET', '/api/collections/view2/records', [{ label: 'abc', maxRequests: 100 }, { label: '*:list', maxRequests: 100 }, { label: 'view2:list', maxRequests: 0 }]),
  rateLimited('*:list', 'GET', '/api/collections/view2/records', [{ label: 'abc', maxRequests: 100 }, { label: '*:list', maxRequests: 0 }]),
];

describe('PocketBase record_crud list', () => {
  runCrudScenarios(() => fx, scenarios);
});
