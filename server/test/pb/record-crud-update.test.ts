/** PocketBase's `apis/record_crud_test.go` TestRecordCrudUpdate scenarios, replayed against Hearth. */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { PASSWORD, startCrudFixture, type CrudFixture, type CrudServer } from './crud-fixture.ts';
import { bodyLimitScenarios, form, rateLimited, runCrudScenarios, type CrudScenario } from './crud-scenarios.ts';
import { DEMO4_BODY, DEMO4_BODY_VALUES, hideDemo3Title, patchCollection } from './crud-writes.ts';
import { markerUntouched, refuseAfterTxWrite } from './tx-hooks.ts';

let fx: CrudFixture;
beforeAll(async () => {
  fx = await startCrudFixture();
}, 120_000);
afterAll(() => fx?.close());

const stored = async (s: CrudServer, collection: string, id: string) => (await s.api('GET', `/api/collections/${collection}/records/${id}`, undefined, 'superuser')).body;
const signsIn = async (s: CrudServer, collection: string, identity: string, password: string) =>
  (await s.api('POST', `/api/collections/${collection}/auth-with-password`, { identity, password })).status;
const DEMO4_VALUES = ['"id":"i9naidtvr6qsgb4"', ...DEMO4_BODY_VALUES];
const DEMO4_URL = '/api/collections/demo4/records/i9naidtvr6qsgb4?expand=missing,rel_one_no_cascade,rel_many_no_cascade_required';
const MK5 = '/api/collections/demo3/records/mk5fmymtx4wsprk';
const DEMO2 = '/api/collections/demo2/records/0yxhwia2amd8gec';

const scenarios: CrudScenario[] = [
  { name: 'missing collection', method: 'PATCH', url: '/api/collections/missing/records/0yxhwia2amd8gec', status: 404, expect: ['"data":{}'] },
  { name: 'guest trying to access nil-rule collection record', method: 'PATCH', url: '/api/collections/demo1/records/imy661ixudk5izi', status: 403, expect: ['"data":{}'] },
  { name: 'auth record trying to access nil-rule collection', method: 'PATCH', url: '/api/collections/demo1/records/imy661ixudk5izi', auth: 'user', status: 403, expect: ['"data":{}'] },
  { name: 'trying to update a view collection record', method: 'PATCH', url: '/api/collections/view1/records/imy661ixudk5izi', body: '{"text":"new"}', status: 400, expect: ['"data":{}'] },
  { name: 'submit invalid body', method: 'PATCH', url: DEMO2, body: '{"', status: 400, expect: ['"data":{}'] },
  { name: 'submit nil body (aka. no fields change)', method: 'PATCH', url: DEMO2, fresh: true, status: 200, expect: ['"collectionName":"demo2"', '"id":"0yxhwia2amd8gec"'] },
  { name: 'submit empty body (aka. no fields change)', method: 'PATCH', url: DEMO2, body: '{}', fresh: true, status: 200, expect: ['"collectionName":"demo2"', '"id":"0yxhwia2amd8gec"'] },
  { name: 'trigger field validation', method: 'PATCH', url: DEMO2, body: { title: 'a' }, status: 400, expect: ['data":{', '"title":{"code":"validation_min_text_constraint"'] },
  { name: 'guest submit in public collection', method: 'PATCH', url: DEMO2, body: { title: 'new' }, fresh: true, status: 200, expect: ['"id":"0yxhwia2amd8gec"', '"title":"new"', '"active":true'] },
  { name: 'guest trying to submit in restricted collection', method: 'PATCH', url: MK5, body: { title: 'new' }, status: 404, expect: ['"data":{}'] },
  { name: 'auth record submit in restricted collection (rule failure check)', method: 'PATCH', url: MK5, auth: 'user', body: { title: 'new' }, status: 404, expect: ['"data":{}'] },
  {
    name: 'auth record submit in restricted collection (rule pass check) + expand relations', method: 'PATCH', url: DEMO4_URL, auth: 'user', body: DEMO4_BODY, fresh: true, status: 200,
    expect: DEMO4_VALUES, notExpect: ['"missing"', '"id":"mk5fmymtx4wsprk"', '"id":"7nwo8tuiatetxdm"', '"id":"lcl9d87w22ml6jy"'],
  },
  {
    name: 'superuser submit in restricted collection (rule skip check) + expand relations', method: 'PATCH', url: DEMO4_URL, auth: 'superuser', body: DEMO4_BODY, fresh: true, status: 200,
    expect: [...DEMO4_VALUES, '"expand":{', '"id":"mk5fmymtx4wsprk"', '"id":"7nwo8tuiatetxdm"', '"id":"lcl9d87w22ml6jy"'], notExpect: ['"missing"'],
  },
  { name: 'superuser submit via multipart form data', method: 'PATCH', url: MK5, auth: 'superuser', body: form({ title: 'title_test' }, { files: ['test.txt'] }), fresh: true, status: 200, expect: ['"id":"mk5fmymtx4wsprk"', '"title":"title_test"', '"files":["'] },
  {
    name: 'submit via multipart form data with @jsonPayload key and unsatisfied @request.body rule', method: 'PATCH', url: MK5, fresh: true,
    body: form({ '@jsonPayload': '{"title": "title_test2", "testPayload": 123}' }, { files: ['test.txt'] }),
    before: patchCollection('demo3', () => ({ updateRule: '@request.body.testPayload != 123' })), status: 404, expect: ['"data":{}'],
  },
  {
    name: 'submit via multipart form data with @jsonPayload key and satisfied @request.body rule', method: 'PATCH', url: MK5, fresh: true,
    // The stored name of mk5fmymtx4wsprk's file (Hearth's random suffix differs from PocketBase's) is kept next to the upload.
    body: async (s: CrudServer) => form({ '@jsonPayload': JSON.stringify({ title: 'title_test3', testPayload: 123, files: (await stored(s, 'demo3', 'mk5fmymtx4wsprk')).files[0] }) }, { files: ['tmpfile.txt'] }),
    before: patchCollection('demo3', () => ({ updateRule: '@request.body.testPayload = 123' })), status: 200,
    expect: ['"id":"mk5fmymtx4wsprk"', '"title":"title_test3"', '"files":["', '"300_', '"tmpfile_'],
  },
  {
    name: 'OnRecordUpdateRequest tx body write check', method: 'PATCH', url: DEMO2, auth: 'superuser', body: { title: 'new' },
    hooks: refuseAfterTxWrite('Update', 'demo2'), status: 400, expect: ['TX_ERROR'],
    after: async (s) => {
      expect(await markerUntouched(s)).toBe(true);
      expect((await s.api('GET', DEMO2, undefined, 'superuser')).body.title).toBe('test3');
    },
  },
  { name: 'try to change the id of an existing record', method: 'PATCH', url: MK5, auth: 'superuser', body: { id: 'mk5fmymtx4wspra' }, status: 400, expect: ['"data":{', '"id":{"code":"validation_pk_change"'] },
  { name: 'unique field error check', method: 'PATCH', url: '/api/collections/demo2/records/llvuca81nly1qls', body: { title: 'test2' }, status: 400, expect: ['"data":{', '"title":{', '"code":"validation_not_unique"'] },
  { name: '@request.body.field with compute modifers (rule failure check)', method: 'PATCH', url: '/api/collections/demo5/records/la4y2w4o98acwuj', body: { 'total+': 3, 'total-': 1 }, status: 404, expect: ['"data":{}'] },
  { name: '@request.body.field with compute modifers (rule pass check)', method: 'PATCH', url: '/api/collections/demo5/records/la4y2w4o98acwuj', body: { 'total+': 2, 'total-': 1 }, fresh: true, status: 200, expect: ['"id":"la4y2w4o98acwuj"', '"collectionName":"demo5"', '"total":3'] },
  {
    name: 'auth record with invalid form data', method: 'PATCH', url: '/api/collections/users/records/bgs820n361vj1qd', auth: 'superuser',
    body: { password: '', passwordConfirm: '1234560', email: 'invalid', verified: false }, status: 400, expect: ['"data":{', '"passwordConfirm":{', '"password":{'], notExpect: ['"email":', 'verified'],
  },
  { name: 'auth record with valid form data but invalid record fields', method: 'PATCH', url: '/api/collections/users/records/bgs820n361vj1qd', auth: 'superuser', body: { password: '1234567', passwordConfirm: '1234567', rel: 'invalid' }, status: 400, expect: ['"data":{', '"rel":{"code":', '"password":{"code":'] },
  {
    name: 'try to change account managing fields by guest', method: 'PATCH', url: '/api/collections/nologin/records/phhq3wr65cap535',
    body: { password: '12345678', passwordConfirm: '12345678', emailVisibility: true, verified: true }, status: 400, expect: ['"data":{', '"verified":{"code":', '"oldPassword":{"code":'], notExpect: ['"emailVisibility":{"code":'],
  },
  {
    name: 'try to change account managing fields by auth record (owner)', method: 'PATCH', url: '/api/collections/users/records/4q1xlclmfloku33', auth: 'user',
    body: { password: '12345678', passwordConfirm: '12345678', emailVisibility: true, verified: true }, status: 400, expect: ['"data":{', '"verified":{"code":', '"oldPassword":{"code":'], notExpect: ['"emailVisibility":{"code":'],
  },
  { name: 'try to unset/downgrade email and verified fields (owner)', method: 'PATCH', url: '/api/collections/users/records/oap640cot4yru2s', auth: 'user2', body: { email: '', verified: false }, status: 400, expect: ['"data":{', '"email":{"code":', '"verified":{"code":'] },
  {
    name: 'try to change account managing fields by auth record with managing rights', method: 'PATCH', url: '/api/collections/nologin/records/phhq3wr65cap535', auth: 'user', fresh: true,
    body: { email: 'new@example.com', password: '12345678', passwordConfirm: '12345678', name: 'test_name', emailVisibility: true, verified: true }, status: 200,
    expect: ['"email":"new@example.com"', '"name":"test_name"', '"emailVisibility":true', '"verified":true'], notExpect: ['"tokenKey"', '"password"', '"passwordConfirm"'],
    after: async (s) => {
      // nologin has password auth off; the new password is checked by enabling it for a moment
      await patchCollection('nologin', () => ({ passwordAuth: { enabled: true, identityFields: ['email'] } }))(s);
      expect(await signsIn(s, 'nologin', 'new@example.com', '12345678')).toBe(200);
    },
  },
  {
    name: 'update auth record with valid data by superuser', method: 'PATCH', url: '/api/collections/users/records/oap640cot4yru2s', auth: 'superuser', fresh: true,
    body: { username: 'test.valid', email: 'new@example.com', password: '12345678', passwordConfirm: '12345678', rel: 'achvryl401bhse3', emailVisibility: true, verified: false }, status: 200,
    expect: ['"username":"test.valid"', '"email":"new@example.com"', '"rel":"achvryl401bhse3"', '"emailVisibility":true', '"verified":false'], notExpect: ['"tokenKey"', '"password"'],
    after: async (s) => expect(await signsIn(s, 'users', 'new@example.com', '12345678')).toBe(200),
  },
  {
    name: 'update auth record with valid data by guest (empty update filter + auth origins check)', method: 'PATCH', url: '/api/collections/nologin/records/dc49k6jgejn40h3', fresh: true,
    body: { username: 'test_new', emailVisibility: true, name: 'test' }, status: 200,
    // (the auth-origins part of the check belongs to the _authOrigins system collection)
    expect: ['"username":"test_new"', '"email":"test@example.com"', '"emailVisibility":true', '"verified":false', '"name":"test"'], notExpect: ['"tokenKey"', '"password"'],
  },
  {
    name: 'success password change with oldPassword (+authOrigins reset check)', method: 'PATCH', url: '/api/collections/nologin/records/dc49k6jgejn40h3', fresh: true,
    body: { password: '123456789', passwordConfirm: '123456789', oldPassword: PASSWORD }, status: 200,
    expect: ['"id":"dc49k6jgejn40h3"'], notExpect: ['"tokenKey"', '"password"', '"passwordConfirm"'],
    after: async (s) => {
      await patchCollection('nologin', () => ({ passwordAuth: { enabled: true, identityFields: ['email'] } }))(s);
      expect(await signsIn(s, 'nologin', 'test@example.com', '123456789')).toBe(200);
    },
  },
  {
    name: 'update with hidden field as regular user', method: 'PATCH', url: '/api/collections/demo3/records/1tmknxy2868d869', auth: 'client', fresh: true, before: hideDemo3Title,
    body: { title: 'test_update' }, status: 200, expect: ['"id":"1tmknxy2868d869"'], notExpect: ['"title"'],
    after: async (s) => expect((await stored(s, 'demo3', '1tmknxy2868d869')).title).toBe('test1'),
  },
  {
    name: 'update with hidden field as superuser', method: 'PATCH', url: '/api/collections/demo3/records/1tmknxy2868d869', auth: 'superuser', fresh: true, before: hideDemo3Title,
    body: { title: 'test_update' }, status: 200, expect: ['"id":"1tmknxy2868d869"', '"title":"test_update"'],
    after: async (s) => expect((await stored(s, 'demo3', '1tmknxy2868d869')).title).toBe('test_update'),
  },
  rateLimited('demo2:update', 'PATCH', DEMO2, [{ label: 'abc', maxRequests: 100 }, { label: '*:update', maxRequests: 100 }, { label: 'demo2:update', maxRequests: 0 }], { title: 'new' }),
  rateLimited('*:update', 'PATCH', DEMO2, [{ label: 'abc', maxRequests: 100 }, { label: '*:update', maxRequests: 0 }], { title: 'new' }),
  ...bodyLimitScenarios('PATCH', '/api/collections/demo1/records/imy661ixudk5izi'),
];

describe('PocketBase record_crud update', () => {
  runCrudScenarios(() => fx, scenarios);
});
