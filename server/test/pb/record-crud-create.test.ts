/** PocketBase's `apis/record_crud_test.go` TestRecordCrudCreate scenarios, replayed against Hearth. */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { startCrudFixture, type CrudFixture, type CrudServer } from './crud-fixture.ts';
import { bodyLimitScenarios, form, rateLimited, runCrudScenarios, type CrudScenario } from './crud-scenarios.ts';
import { DEMO4_BODY, DEMO4_BODY_VALUES, hideDemo3Title, patchCollection } from './crud-writes.ts';
import { markerUntouched, refuseAfterTxWrite } from './tx-hooks.ts';

let fx: CrudFixture;
beforeAll(async () => {
  fx = await startCrudFixture();
}, 120_000);
afterAll(() => fx?.close());

const storedTitle = async (s: CrudServer, id: string) => (await s.api('GET', `/api/collections/demo3/records/${id}`, undefined, 'superuser')).body.title;
const DEMO4_URL = '/api/collections/demo4/records?expand=missing,rel_one_no_cascade,rel_many_no_cascade_required';

const scenarios: CrudScenario[] = [
  { name: 'missing collection', method: 'POST', url: '/api/collections/missing/records', status: 404, expect: ['"data":{}'] },
  { name: 'guest trying to access nil-rule collection', method: 'POST', url: '/api/collections/demo1/records', status: 403, expect: ['"data":{}'] },
  { name: 'auth record trying to access nil-rule collection', method: 'POST', url: '/api/collections/demo1/records', auth: 'user', status: 403, expect: ['"data":{}'] },
  { name: 'trying to create a new view collection record', method: 'POST', url: '/api/collections/view1/records', body: '{"text":"new"}', status: 400, expect: ['"data":{}'] },
  { name: 'submit invalid body', method: 'POST', url: '/api/collections/demo2/records', body: '{"', status: 400, expect: ['"data":{}'] },
  { name: 'submit nil body', method: 'POST', url: '/api/collections/demo2/records', status: 400, expect: ['"data":{', '"title":{"code":"validation_required"'] },
  { name: 'submit empty json body', method: 'POST', url: '/api/collections/nologin/records', body: '{}', status: 400, expect: ['"data":{', '"password":{"code":"validation_required"', '"passwordConfirm":{"code":"validation_required"'] },
  { name: 'guest submit in public collection', method: 'POST', url: '/api/collections/demo2/records', body: { title: 'new' }, fresh: true, status: 200, expect: ['"id":', '"title":"new"', '"active":false'] },
  { name: 'guest trying to submit in restricted collection', method: 'POST', url: '/api/collections/demo3/records', body: { title: 'test123' }, status: 400, expect: ['"data":{}'] },
  { name: 'auth record submit in restricted collection (rule failure check)', method: 'POST', url: '/api/collections/demo3/records', auth: 'user', body: { title: 'test123' }, status: 400, expect: ['"data":{}'] },
  {
    name: 'auth record submit in restricted collection (rule pass check) + expand relations', method: 'POST', url: DEMO4_URL, auth: 'user', body: DEMO4_BODY, fresh: true, status: 200,
    // demo3's viewRule hides its records from users, so nothing expands
    expect: ['"id":', ...DEMO4_BODY_VALUES],
    notExpect: ['"missing"', '"id":"mk5fmymtx4wsprk"', '"id":"7nwo8tuiatetxdm"', '"id":"lcl9d87w22ml6jy"'],
  },
  {
    name: 'superuser submit in restricted collection (rule skip check) + expand relations', method: 'POST', url: DEMO4_URL, auth: 'superuser', body: DEMO4_BODY, fresh: true, status: 200,
    expect: ['"id":', ...DEMO4_BODY_VALUES, '"expand":{', '"id":"mk5fmymtx4wsprk"', '"id":"7nwo8tuiatetxdm"', '"id":"lcl9d87w22ml6jy"'],
    notExpect: ['"missing"'],
  },
  { name: 'superuser submit via multipart form data', method: 'POST', url: '/api/collections/demo3/records', auth: 'superuser', body: form({ title: 'title_test' }, { files: ['test.txt'] }), fresh: true, status: 200, expect: ['"id":"', '"title":"title_test"', '"files":["'] },
  {
    name: 'submit via multipart form data with @jsonPayload key and unsatisfied @request.body rule', method: 'POST', url: '/api/collections/demo3/records',
    body: form({ '@jsonPayload': '{"title": "title_test2", "testPayload": 123}' }, { files: ['test.txt'] }), fresh: true,
    before: patchCollection('demo3', () => ({ createRule: '@request.body.testPayload != 123' })), status: 400, expect: ['"data":{}'],
  },
  {
    name: 'submit via multipart form data with @jsonPayload key and satisfied @request.body rule', method: 'POST', url: '/api/collections/demo3/records',
    body: form({ '@jsonPayload': '{"title": "title_test3", "testPayload": 123}' }, { files: ['test.txt'] }), fresh: true,
    before: patchCollection('demo3', () => ({ createRule: '@request.body.testPayload = 123' })), status: 200, expect: ['"id":"', '"title":"title_test3"', '"files":["'],
  },
  { name: 'unique field error check', method: 'POST', url: '/api/collections/demo2/records', body: { title: 'test2' }, status: 400, expect: ['"data":{', '"title":{', '"code":"validation_not_unique"'] },
  {
    name: 'OnRecordCreateRequest tx body write check', method: 'POST', url: '/api/collections/demo2/records', auth: 'superuser', body: { title: 'new' },
    hooks: refuseAfterTxWrite('Create', 'demo2'), status: 400, expect: ['TX_ERROR'],
    after: async (s) => {
      expect(await markerUntouched(s)).toBe(true);
      expect((await s.api('GET', `/api/collections/demo2/records?filter=${encodeURIComponent('title="new"')}`, undefined, 'superuser')).body.totalItems).toBe(0);
    },
  },
  { name: 'invalid custom insertion id (less than 15 chars)', method: 'POST', url: '/api/collections/demo3/records', auth: 'superuser', body: { id: '12345678901234', title: 'test' }, status: 400, expect: ['"id":{"code":"validation_min_text_constraint"'] },
  { name: 'invalid custom insertion id (more than 15 chars)', method: 'POST', url: '/api/collections/demo3/records', auth: 'superuser', body: { id: '1234567890123456', title: 'test' }, status: 400, expect: ['"id":{"code":"validation_max_text_constraint"'] },
  { name: 'valid custom insertion id (exactly 15 chars)', method: 'POST', url: '/api/collections/demo3/records', auth: 'superuser', body: { id: '123456789012345', title: 'test' }, fresh: true, status: 200, expect: ['"id":"123456789012345"', '"title":"test"'] },
  { name: 'valid custom insertion id existing in another non-auth collection', method: 'POST', url: '/api/collections/demo3/records', auth: 'superuser', body: { id: '0yxhwia2amd8gec', title: 'test' }, fresh: true, status: 200, expect: ['"id":"0yxhwia2amd8gec"', '"title":"test"'] },
  {
    name: 'valid custom insertion auth id duplicating in another auth collection', method: 'POST', url: '/api/collections/users/records', auth: 'superuser',
    body: { id: 'o1y0dd0spd786md', title: 'test', password: '1234567890', passwordConfirm: '1234567890' }, status: 400, expect: ['"data":{', '"id":{"code":"validation_invalid_auth_id"'],
  },
  { name: '@request.body.field with compute modifers (rule failure check)', method: 'POST', url: '/api/collections/demo5/records', body: { 'total+': 4, 'total-': 2 }, status: 400, expect: ['"data":{}'] },
  { name: '@request.body.field with compute modifers (rule pass check)', method: 'POST', url: '/api/collections/demo5/records', body: { 'total+': 4, 'total-': 1 }, fresh: true, status: 200, expect: ['"id":"', '"collectionName":"demo5"', '"total":3'] },
  {
    name: 'auth record with invalid form data', method: 'POST', url: '/api/collections/users/records', auth: 'superuser',
    body: { password: '1234567', passwordConfirm: '1234560', email: 'invalid', username: 'Users75657' }, status: 400,
    expect: ['"data":{', '"passwordConfirm":{"code":"validation_values_mismatch"'], notExpect: ['"rel":', '"email":'],
  },
  { name: 'auth record with valid form data but invalid record fields', method: 'POST', url: '/api/collections/users/records', auth: 'superuser', body: { password: '1234567', passwordConfirm: '1234567', rel: 'invalid' }, status: 400, expect: ['"data":{', '"rel":{"code":', '"password":{"code":'] },
  { name: 'auth record with valid data and explicitly verified state by guest', method: 'POST', url: '/api/collections/users/records', body: { password: '12345678', passwordConfirm: '12345678', verified: true }, status: 400, expect: ['"data":{', '"verified":{"code":'] },
  {
    name: 'auth record with valid data and explicitly verified state by random user', method: 'POST', url: '/api/collections/users/records', auth: 'user',
    body: { password: '12345678', passwordConfirm: '12345678', emailVisibility: true, verified: true }, status: 400, expect: ['"data":{', '"verified":{"code":'], notExpect: ['"emailVisibility":{"code":'],
  },
  {
    name: 'auth record with valid data by superuser', method: 'POST', url: '/api/collections/users/records', auth: 'superuser', fresh: true,
    body: { id: 'o1o1y0pd78686mq', username: 'test.valid', email: 'new@example.com', password: '12345678', passwordConfirm: '12345678', rel: 'achvryl401bhse3', emailVisibility: true, verified: true },
    status: 200,
    expect: ['"id":"o1o1y0pd78686mq"', '"username":"test.valid"', '"email":"new@example.com"', '"rel":"achvryl401bhse3"', '"emailVisibility":true', '"verified":true'],
    notExpect: ['"tokenKey"', '"password"', '"passwordConfirm"'],
  },
  {
    name: 'auth record with valid data by auth record with manage access', method: 'POST', url: '/api/collections/nologin/records', auth: 'user', fresh: true,
    body: { email: 'new@example.com', password: '12345678', passwordConfirm: '12345678', name: 'test_name', emailVisibility: true, verified: true },
    status: 200,
    expect: ['"id":"', '"username":"', '"email":"new@example.com"', '"name":"test_name"', '"emailVisibility":true', '"verified":true'],
    notExpect: ['"tokenKey"', '"password"', '"passwordConfirm"'],
  },
  {
    name: 'create with hidden field as regular user', method: 'POST', url: '/api/collections/demo3/records', auth: 'client', fresh: true, before: hideDemo3Title,
    body: { id: 'abcde1234567890', title: 'test_create' }, status: 200, expect: ['"id":"abcde1234567890"'], notExpect: ['"title"'],
    after: async (s) => expect(await storedTitle(s, 'abcde1234567890')).toBe(''),
  },
  {
    name: 'create with hidden field as superuser', method: 'POST', url: '/api/collections/demo3/records', auth: 'superuser', fresh: true, before: hideDemo3Title,
    body: { id: 'abcde1234567890', title: 'test_create' }, status: 200, expect: ['"id":"abcde1234567890"', '"title":"test_create"'],
    after: async (s) => expect(await storedTitle(s, 'abcde1234567890')).toBe('test_create'),
  },
  rateLimited('demo2:create', 'POST', '/api/collections/demo2/records', [{ label: 'abc', maxRequests: 100 }, { label: '*:create', maxRequests: 100 }, { label: 'demo2:create', maxRequests: 0 }], { title: 'new' }),
  rateLimited('*:create', 'POST', '/api/collections/demo2/records', [{ label: 'abc', maxRequests: 100 }, { label: '*:create', maxRequests: 0 }], { title: 'new' }),
  ...bodyLimitScenarios('POST', '/api/collections/demo1/records'),
];

describe('PocketBase record_crud create', () => {
  runCrudScenarios(() => fx, scenarios);
});
