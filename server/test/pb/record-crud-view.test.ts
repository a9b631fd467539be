/** PocketBase's `apis/record_crud_test.go` TestRecordCrudView scenarios, replayed against Hearth. */
import { afterAll, beforeAll, describe } from 'vitest';
import { startCrudFixture, type CrudFixture } from './crud-fixture.ts';
import { rateLimited, runCrudScenarios, type CrudScenario } from './crud-scenarios.ts';
import { refuseAfterResponse } from './tx-hooks.ts';

let fx: CrudFixture;
beforeAll(async () => {
  fx = await startCrudFixture();
}, 120_000);
afterAll(() => fx?.close());

const NUMERIC = '/api/collections/numeric_id_view/records/1';
const scenarios: CrudScenario[] = [
  { name: 'missing collection', method: 'GET', url: '/api/collections/missing/records/0yxhwia2amd8gec', status: 404, expect: ['"data":{}'] },
  { name: 'missing record', method: 'GET', url: '/api/collections/demo2/records/missing', status: 404, expect: ['"data":{}'] },
  { name: 'unauthenticated trying to access nil rule collection (aka. need superuser auth)', method: 'GET', url: '/api/collections/demo1/records/imy661ixudk5izi', status: 403, expect: ['"data":{}'] },
  { name: 'authenticated record trying to access nil rule collection (aka. need superuser auth)', method: 'GET', url: '/api/collections/demo1/records/imy661ixudk5izi', auth: 'user', status: 403, expect: ['"data":{}'] },
  { name: "authenticated record that doesn't match the collection view rule", method: 'GET', url: '/api/collections/users/records/bgs820n361vj1qd', auth: 'user', status: 404, expect: ['"data":{}'] },
  { name: 'public collection view', method: 'GET', url: '/api/collections/demo2/records/0yxhwia2amd8gec', status: 200, expect: ['"id":"0yxhwia2amd8gec"', '"collectionName":"demo2"'] },
  { name: 'public collection view (using the collection id)', method: 'GET', url: '/api/collections/sz5l5z67tg7gku0/records/0yxhwia2amd8gec', status: 200, expect: ['"id":"0yxhwia2amd8gec"', '"collectionName":"demo2"'] },
  { name: 'authorized as superuser trying to access nil rule collection view (aka. need superuser auth)', method: 'GET', url: '/api/collections/demo1/records/imy661ixudk5izi', auth: 'superuser', status: 200, expect: ['"id":"imy661ixudk5izi"', '"collectionName":"demo1"'] },
  {
    name: 'authenticated record that does match the collection view rule', method: 'GET', url: '/api/collections/users/records/4q1xlclmfloku33', auth: 'user', status: 200,
    expect: ['"id":"4q1xlclmfloku33"', '"collectionName":"users"', '"emailVisibility":false', '"email":"test@example.com"'],
  },
  {
    name: 'expand relations', method: 'GET', url: '/api/collections/demo1/records/al1h9ijdeojtsjy?expand=rel_one,rel_many.rel,missing&perPage=2&sort=created', auth: 'superuser', status: 200,
    expect: ['"id":"al1h9ijdeojtsjy"', '"collectionName":"demo1"', '"rel_many":[{', '"rel_one":{', '"collectionName":"users"', '"id":"bgs820n361vj1qd"', '"expand":{"rel":{', '"id":"0yxhwia2amd8gec"', '"collectionName":"demo2"'],
    notExpect: ['"missing"'],
  },
  { name: 'OnRecordViewRequest tx body write check', method: 'GET', url: '/api/collections/demo1/records/al1h9ijdeojtsjy', auth: 'superuser', hooks: refuseAfterResponse('demo1'), status: 400, expect: ['TX_ERROR'] },
  // auth collection
  { name: 'check email visibility as guest', method: 'GET', url: '/api/collections/nologin/records/oos036e9xvqeexy', status: 200, expect: ['"id":"oos036e9xvqeexy"', '"emailVisibility":false', '"verified":true'], notExpect: ['"tokenKey"', '"password"', '"email":"test3@example.com"'] },
  { name: 'check email visibility as any authenticated record', method: 'GET', url: '/api/collections/nologin/records/oos036e9xvqeexy', auth: 'client', status: 200, expect: ['"id":"oos036e9xvqeexy"', '"emailVisibility":false', '"verified":true'], notExpect: ['"tokenKey"', '"password"', '"email":"test3@example.com"'] },
  { name: 'check email visibility as manage auth record', method: 'GET', url: '/api/collections/nologin/records/oos036e9xvqeexy', auth: 'user', status: 200, expect: ['"id":"oos036e9xvqeexy"', '"emailVisibility":false', '"email":"test3@example.com"', '"verified":true'] },
  { name: 'check email visibility as superuser', method: 'GET', url: '/api/collections/nologin/records/oos036e9xvqeexy', auth: 'superuser', status: 200, expect: ['"id":"oos036e9xvqeexy"', '"emailVisibility":false', '"email":"test3@example.com"', '"verified":true'], notExpect: ['"tokenKey"', '"password"'] },
  { name: 'check self email visibility resolver', method: 'GET', url: '/api/collections/nologin/records/dc49k6jgejn40h3', auth: 'nologin', status: 200, expect: ['"id":"dc49k6jgejn40h3"', '"email":"test@example.com"', '"emailVisibility":false', '"verified":false'], notExpect: ['"tokenKey"', '"password"'] },
  // view collection
  { name: 'public view record', method: 'GET', url: '/api/collections/view2/records/84nmscqy84lsi1t', status: 200, expect: ['"id":"84nmscqy84lsi1t"', '"state":true', '"file_many":["', '"rel_many":["'], notExpect: ['"created"', '"updated"'] },
  { name: "guest that doesn't match the view collection view rule", method: 'GET', url: '/api/collections/view1/records/84nmscqy84lsi1t', status: 404, expect: ['"data":{}'] },
  { name: 'authenticated record that matches the view collection view rule', method: 'GET', url: '/api/collections/view1/records/84nmscqy84lsi1t', auth: 'user', status: 200, expect: ['"id":"84nmscqy84lsi1t"', '"bool":true', '"text":"'] },
  { name: 'view record with numeric id', method: 'GET', url: NUMERIC, status: 200, expect: ['"id":"1"'] },
  // rate limit checks
  rateLimited('numeric_id_view:view', 'GET', NUMERIC, [{ label: 'abc', maxRequests: 100 }, { label: '*:view', maxRequests: 100 }, { label: 'numeric_id_view:view', maxRequests: 0 }]),
  rateLimited('*:view', 'GET', NUMERIC, [{ label: 'abc', maxRequests: 100 }, { label: '*:view', maxRequests: 0 }]),
];

describe('PocketBase record_crud view', () => {
  runCrudScenarios(() => fx, scenarios);
});
