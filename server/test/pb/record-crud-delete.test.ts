/** PocketBase's `apis/record_crud_test.go` TestRecordCrudDelete scenarios, replayed against Hearth. */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { startCrudFixture, type CrudFixture, type CrudServer } from './crud-fixture.ts';
import { rateLimited, runCrudScenarios, type CrudScenario } from './crud-scenarios.ts';
import { markerUntouched, refuseAfterTxWrite } from './tx-hooks.ts';

let fx: CrudFixture;
beforeAll(async () => {
  fx = await startCrudFixture();
}, 120_000);
afterAll(() => fx?.close());

const gone = async (s: CrudServer, collection: string, id: string) => {
  expect((await s.api('GET', `/api/collections/${collection}/records/${id}`, undefined, 'superuser')).status, `${collection}/${id} still exists`).toBe(404);
};
const DEMO5 = '/api/collections/demo5/records/la4y2w4o98acwuj?test=1';

const scenarios: CrudScenario[] = [
  { name: 'missing collection', method: 'DELETE', url: '/api/collections/missing/records/0yxhwia2amd8gec', status: 404, expect: ['"data":{}'] },
  { name: 'missing record', method: 'DELETE', url: '/api/collections/demo2/records/missing', status: 404, expect: ['"data":{}'] },
  { name: 'unauthenticated trying to delete nil rule collection (aka. need superuser auth)', method: 'DELETE', url: '/api/collections/demo1/records/imy661ixudk5izi', status: 403, expect: ['"data":{}'] },
  { name: 'authenticated record trying to delete nil rule collection (aka. need superuser auth)', method: 'DELETE', url: '/api/collections/demo1/records/imy661ixudk5izi', auth: 'user', status: 403, expect: ['"data":{}'] },
  { name: "authenticated record that doesn't match the collection delete rule", method: 'DELETE', url: '/api/collections/users/records/bgs820n361vj1qd', auth: 'user', status: 404, expect: ['"data":{}'] },
  { name: 'trying to delete a view collection record', method: 'DELETE', url: '/api/collections/view1/records/imy661ixudk5izi', status: 400, expect: ['"data":{}'] },
  { name: 'public collection record delete', method: 'DELETE', url: '/api/collections/nologin/records/dc49k6jgejn40h3', fresh: true, status: 204, after: (s) => gone(s, 'nologin', 'dc49k6jgejn40h3') },
  { name: 'public collection record delete (using the collection id as identifier)', method: 'DELETE', url: '/api/collections/kpv709sk2lqbqk8/records/dc49k6jgejn40h3', fresh: true, status: 204, after: (s) => gone(s, 'nologin', 'dc49k6jgejn40h3') },
  { name: 'authorized as superuser trying to delete nil rule collection view (aka. need superuser auth)', method: 'DELETE', url: '/api/collections/clients/records/o1y0dd0spd786md', auth: 'superuser', fresh: true, status: 204, after: (s) => gone(s, 'clients', 'o1y0dd0spd786md') },
  {
    name: 'OnRecordDeleteRequest tx body write check', method: 'DELETE', url: '/api/collections/clients/records/o1y0dd0spd786md', auth: 'superuser',
    hooks: refuseAfterTxWrite('Delete', 'clients'), status: 400, expect: ['TX_ERROR'],
    after: async (s) => {
      expect(await markerUntouched(s)).toBe(true);
      expect((await s.api('GET', '/api/collections/clients/records/o1y0dd0spd786md', undefined, 'superuser')).status).toBe(200);
    },
  },
  {
    name: 'authenticated record that match the collection delete rule', method: 'DELETE', url: '/api/collections/users/records/4q1xlclmfloku33', auth: 'user', fresh: true, status: 204,
    after: async (s) => {
      await gone(s, 'users', '4q1xlclmfloku33');
      // its files go with it
      const res = await fetch(`${s.url}/api/files/users/4q1xlclmfloku33/avatar.png`);
      expect(res.status).toBe(404);
    },
  },
  { name: '@request :isset (rule failure check)', method: 'DELETE', url: '/api/collections/demo5/records/la4y2w4o98acwuj', status: 404, expect: ['"data":{}'] },
  { name: '@request :isset (rule pass check)', method: 'DELETE', url: DEMO5, fresh: true, status: 204, after: (s) => gone(s, 'demo5', 'la4y2w4o98acwuj') },
  // cascade delete checks
  {
    name: 'trying to delete a record while being part of a non-cascade required relation', method: 'DELETE', url: '/api/collections/demo3/records/7nwo8tuiatetxdm', auth: 'superuser', fresh: true, status: 400, expect: ['"data":{}'],
    after: async (s) => {
      // nothing of the cascade stays applied
      expect((await s.api('GET', '/api/collections/demo3/records/7nwo8tuiatetxdm', undefined, 'superuser')).status).toBe(200);
      expect((await s.api('GET', '/api/collections/demo4/records/qzaqccwrmva4o1n', undefined, 'superuser')).status).toBe(200);
    },
  },
  {
    name: 'delete a record with non-cascade references', method: 'DELETE', url: '/api/collections/demo3/records/1tmknxy2868d869', auth: 'superuser', fresh: true, status: 204,
    after: async (s) => {
      await gone(s, 'demo3', '1tmknxy2868d869');
      const ref = (await s.api('GET', '/api/collections/demo4/records/qzaqccwrmva4o1n', undefined, 'superuser')).body;
      expect(ref.rel_many_no_cascade).toEqual([]);
      expect(ref.rel_many_no_cascade_required).toEqual(['lcl9d87w22ml6jy']);
    },
  },
  {
    name: 'delete a record with cascade references', method: 'DELETE', url: '/api/collections/users/records/oap640cot4yru2s', auth: 'superuser', fresh: true, status: 204,
    after: async (s) => {
      await gone(s, 'users', 'oap640cot4yru2s');
      await gone(s, 'demo1', '84nmscqy84lsi1t');
      const kept = (await s.api('GET', '/api/collections/demo1/records/al1h9ijdeojtsjy', undefined, 'superuser')).body;
      expect(kept.rel_many).toEqual(['bgs820n361vj1qd', '4q1xlclmfloku33']);
    },
  },
  // rate limit checks
  rateLimited('demo5:delete', 'DELETE', DEMO5, [{ label: 'abc', maxRequests: 100 }, { label: '*:delete', maxRequests: 100 }, { label: 'demo5:delete', maxRequests: 0 }]),
  rateLimited('*:delete', 'DELETE', DEMO5, [{ label: 'abc', maxRequests: 100 }, { label: '*:delete', maxRequests: 0 }]),
];

describe('PocketBase record_crud delete', () => {
  runCrudScenarios(() => fx, scenarios);
});
