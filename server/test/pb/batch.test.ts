/** PocketBase's `apis/batch_test.go` scenarios, replayed against Hearth over the record fixture. */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { startCrudFixture, type CrudFixture, type CrudServer } from './crud-fixture.ts';
import { runCrudScenarios, type CrudScenario } from './crud-scenarios.ts';

let fx: CrudFixture;
beforeAll(async () => {
  fx = await startCrudFixture();
}, 120_000);
afterAll(() => fx?.close());

const batchSettings = (batch: Record<string, unknown>) => async (s: CrudServer) => {
  const res = await s.api('PATCH', '/api/settings', { batch: { enabled: true, maxRequests: 50, timeout: 3, maxBodySize: 0, ...batch } }, 'superuser');
  if (res.status !== 200) throw new Error(JSON.stringify(res.body));
};
const count = async (s: CrudServer, collection: string, filter: string) =>
  (await s.api('GET', `/api/collections/${collection}/records?filter=${encodeURIComponent(filter)}`, undefined, 'superuser')).body.totalItems;
const exists = async (s: CrudServer, collection: string, id: string) => (await s.api('GET', `/api/collections/${collection}/records/${id}`, undefined, 'superuser')).status === 200;
const filesOf = async (s: CrudServer, title: string) =>
  (await s.api('GET', `/api/collections/demo3/records?filter=${encodeURIComponent(`title="${title}"`)}`, undefined, 'superuser')).body.items[0].files as string[];

function uploadForm(): (s: CrudServer) => Promise<FormData> {
  return async (s) => {
    // PocketBase names lcl9d87w22ml6jy's text file test_FLurQTgrY8.txt; here it has Hearth's own suffix.
    const txt = ((await s.api('GET', '/api/collections/demo3/records/lcl9d87w22ml6jy', undefined, 'superuser')).body.files as string[]).find((f) => f.endsWith('.txt'));
    const f = new FormData();
    f.append('@jsonPayload', JSON.stringify({
      requests: [
        { method: 'POST', url: '/api/collections/demo3/records', body: { title: 'batch1' } },
        { method: 'POST', url: '/api/collections/demo3/records', body: { title: 'batch2' } },
        { method: 'POST', url: '/api/collections/demo3/records', body: { title: 'batch3' } },
        { method: 'PATCH', url: '/api/collections/demo3/records/lcl9d87w22ml6jy', body: { 'files-': txt } },
      ],
    }));
    for (const key of ['requests.0.files', 'requests.0.files', 'requests.0.files', 'requests[2].files']) f.append(key, new Blob(['test'], { type: 'text/plain' }), 'tmpfile.txt');
    return f;
  };
}

const SLOW_CREATE_HOOK = `import type { HearthHooks } from '@hearth/server/hooks';

export default (hearth: HearthHooks) => {
  hearth.onRecordBeforeCreate('demo2', () => {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600); // a slow synchronous hook
  });
};
`;

const EXPAND_BODY = {
  requests: [
    { method: 'POST', url: '/api/collections/demo5/records?expand=rel_one', body: { total: 9, rel_one: 'qzaqccwrmva4o1n' } },
    { method: 'PATCH', url: '/api/collections/demo5/records/qjeql998mtp1azp?expand=rel_many', body: { total: 10 } },
  ],
};

const scenarios: CrudScenario[] = [
  { name: 'disabled batch requets', method: 'POST', url: '/api/batch', fresh: true, before: batchSettings({ enabled: false }), status: 403, expect: ['"data":{}'] },
  {
    name: 'max request limits reached', method: 'POST', url: '/api/batch', fresh: true, before: batchSettings({ maxRequests: 2 }),
    body: { requests: [{ method: 'GET', url: '/test1' }, { method: 'GET', url: '/test2' }, { method: 'GET', url: '/test3' }] },
    status: 400, expect: ['"data":{', '"requests":{"code":"validation_length_too_long"'],
  },
  {
    name: 'trigger requests validations', method: 'POST', url: '/api/batch', fresh: true, before: batchSettings({ maxRequests: 100 }),
    body: { requests: [{}, { method: 'GET', url: '/valid' }, { method: 'invalid', url: '/valid' }, { method: 'POST', url: 'a'.repeat(2001) }] },
    status: 400,
    expect: ['"data":{', '"requests":{', '"0":{"method":{"code":"validation_required"', '"2":{"method":{"code":"validation_in_invalid"', '"3":{"url":{"code":"validation_length_too_long"'],
    notExpect: ['"1":'],
  },
  {
    name: 'unknown batch request action', method: 'POST', url: '/api/batch', body: { requests: [{ method: 'GET', url: '/api/health' }] },
    status: 400, expect: ['"data":{', '"requests":{', '0":{"code":"batch_request_failed"', '"response":{'],
  },
  {
    name: 'base 2 successful and 1 failed (public collection)', method: 'POST', url: '/api/batch', fresh: true,
    body: { requests: [
      { method: 'POST', url: '/api/collections/demo2/records', body: { title: 'batch1' } },
      { method: 'POST', url: '/api/collections/demo2/records', body: { title: 'batch2' } },
      { method: 'POST', url: '/api/collections/demo2/records', body: { title: '' } },
    ] },
    status: 400, expect: ['"data":{', '"response":{', '"2":{"code":"batch_request_failed"', '"response":{"data":{"title":{"code":"validation_required"'], notExpect: ['"0":', '"1":'],
    after: async (s) => expect(await count(s, 'demo2', 'title~"batch"')).toBe(0),
  },
  {
    name: 'base 4 successful (public collection)', method: 'POST', url: '/api/batch', fresh: true,
    body: { requests: [
      { method: 'POST', url: '/api/collections/demo2/records', body: { title: 'batch1' } },
      { method: 'POST', url: '/api/collections/demo2/records', body: { title: 'batch2' } },
      { method: 'PUT', url: '/api/collections/demo2/records', body: { title: 'batch3' } },
      { method: 'PUT', url: '/api/collections/demo2/records?fields=*,id:excerpt(4,true)', body: { id: 'achvryl401bhse3', title: 'batch4' } },
    ] },
    status: 200, expect: ['"title":"batch1"', '"title":"batch2"', '"title":"batch3"', '"title":"batch4"', '"id":"achv..."', '"active":false', '"active":true', '"status":200', '"body":{'],
    after: async (s) => expect(await count(s, 'demo2', 'title~"batch"')).toBe(4),
  },
  {
    name: 'mixed create/update/delete (non-superuser rule failure)', method: 'POST', url: '/api/batch', fresh: true,
    body: { requests: [
      { method: 'POST', url: '/api/collections/demo2/records', body: { title: 'batch_create' } },
      { method: 'DELETE', url: '/api/collections/demo2/records/achvryl401bhse3' },
      { method: 'PATCH', url: '/api/collections/demo3/records/1tmknxy2868d869', body: { title: 'batch_update' } },
    ] },
    status: 400, expect: ['"data":{', '"requests":{', '"2":{"code":"batch_request_failed"', '"response":{'], notExpect: ['"0":', '"1":'],
    after: async (s) => {
      expect(await count(s, 'demo2', 'title="batch_create"')).toBe(0);
      expect(await count(s, 'demo3', 'title="batch_update"')).toBe(0);
      expect(await exists(s, 'demo2', 'achvryl401bhse3')).toBe(true);
    },
  },
  {
    name: 'mixed create/update/delete (superuser rule failure)', method: 'POST', url: '/api/batch', auth: 'client', fresh: true,
    body: { requests: [
      { method: 'DELETE', url: '/api/collections/demo2/records/achvryl401bhse3', headers: { Authorization: 'ignored' } },
      { method: 'PATCH', url: '/api/collections/demo3/records/1tmknxy2868d869', body: { title: 'batch_update' }, headers: { Authorization: 'ignored' } },
      { method: 'POST', url: '/api/collections/_superusers/records', body: { email: 'test_batch@example.com', password: '1234567890' } },
    ] },
    status: 400, expect: ['"data":{', '"requests":{', '"2":{"code":"batch_request_failed"', '403'], notExpect: ['"0":', '"1":'],
    after: async (s) => {
      expect(await exists(s, 'demo2', 'achvryl401bhse3')).toBe(true);
      expect(await count(s, 'demo3', 'title="batch_update"')).toBe(0);
      expect(await count(s, '_superusers', 'email="test_batch@example.com"')).toBe(0);
    },
  },
  {
    name: 'mixed create/update/delete (rules success)', method: 'POST', url: '/api/batch', auth: 'client', fresh: true,
    body: { requests: [
      { method: 'POST', url: '/api/collections/demo2/records', body: { title: 'batch_create' }, headers: { Authorization: 'ignored' } },
      { method: 'DELETE', url: '/api/collections/demo2/records/achvryl401bhse3', headers: { Authorization: 'ignored' } },
      { method: 'PATCH', url: '/api/collections/demo3/records/1tmknxy2868d869', body: { title: 'batch_update' }, headers: { Authorization: 'ignored' } },
    ] },
    status: 200, expect: ['"title":"batch_create"', '"title":"batch_update"', '"status":200', '"status":204', '"body":{', '"body":null'],
    after: async (s) => {
      expect(await count(s, 'demo2', 'title="batch_create"')).toBe(1);
      expect(await count(s, 'demo3', 'title="batch_update"')).toBe(1);
      expect(await exists(s, 'demo2', 'achvryl401bhse3')).toBe(false);
    },
  },
  {
    name: 'mixed create/update/delete (superuser auth)', method: 'POST', url: '/api/batch', auth: 'superuser', fresh: true,
    body: { requests: [
      { method: 'POST', url: '/api/collections/demo2/records', body: { title: 'batch_create' } },
      { method: 'DELETE', url: '/api/collections/demo2/records/achvryl401bhse3' },
      { method: 'PATCH', url: '/api/collections/demo3/records/1tmknxy2868d869', body: { title: 'batch_update' } },
    ] },
    status: 200, expect: ['"title":"batch_create"', '"title":"batch_update"', '"status":200', '"status":204', '"body":{', '"body":null'],
    after: async (s) => {
      expect(await count(s, 'demo2', 'title="batch_create"')).toBe(1);
      expect(await count(s, 'demo3', 'title="batch_update"')).toBe(1);
      expect(await exists(s, 'demo2', 'achvryl401bhse3')).toBe(false);
    },
  },
  {
    name: 'cascade delete/update', method: 'POST', url: '/api/batch', auth: 'superuser', fresh: true,
    body: { requests: [{ method: 'DELETE', url: '/api/collections/demo3/records/1tmknxy2868d869' }, { method: 'DELETE', url: '/api/collections/demo3/records/mk5fmymtx4wsprk' }] },
    status: 200, expect: ['"status":204', '"body":null'], notExpect: ['"status":200', '"body":{'],
    after: async (s) => {
      for (const id of ['1tmknxy2868d869', 'mk5fmymtx4wsprk']) expect(await exists(s, 'demo3', id)).toBe(false);
      expect(await exists(s, 'demo4', 'qzaqccwrmva4o1n')).toBe(false);
    },
  },
  {
    // PocketBase's hook sleeps 600 ms per create against a 1 s budget; Hearth's before hooks are
    // synchronous (they run inside the write's SQLite transaction), so this one blocks for 600 ms.
    name: 'transaction timeout', method: 'POST', url: '/api/batch', auth: 'superuser', before: batchSettings({ timeout: 1 }), hooks: { 'slow-create.ts': SLOW_CREATE_HOOK },
    body: { requests: [{ method: 'POST', url: '/api/collections/demo2/records', body: { title: 'batch1' } }, { method: 'POST', url: '/api/collections/demo2/records', body: { title: 'batch2' } }] },
    status: 400, expect: ['"data":{}'],
    after: async (s) => expect(await count(s, 'demo2', 'title~"batch"')).toBe(0),
  },
  {
    name: 'multipart/form-data + file upload', method: 'POST', url: '/api/batch', auth: 'client', fresh: true, body: uploadForm(),
    status: 200, expect: ['"title":"batch1"', '"title":"batch2"', '"title":"batch3"', '"id":"lcl9d87w22ml6jy"', '"files":["300_', '"tmpfile_', '"status":200', '"body":{'],
    after: async (s) => {
      expect(await filesOf(s, 'batch1')).toHaveLength(3);
      expect(await filesOf(s, 'batch2')).toHaveLength(0);
      expect(await filesOf(s, 'batch3')).toHaveLength(1);
      expect(await filesOf(s, 'test2')).toHaveLength(1);
    },
  },
  {
    name: 'create/update with expand query params', method: 'POST', url: '/api/batch', auth: 'superuser', fresh: true, body: EXPAND_BODY,
    status: 200, expect: ['"body":{', '"id":"qjeql998mtp1azp"', '"id":"qzaqccwrmva4o1n"', '"id":"i9naidtvr6qsgb4"', '"expand":{"rel_one"', '"expand":{"rel_many"'],
  },
  { name: 'check body limit middleware', method: 'POST', url: '/api/batch', auth: 'superuser', fresh: true, before: batchSettings({ maxBodySize: 10 }), body: EXPAND_BODY, status: 413, expect: ['"data":{}'] },
];

describe('PocketBase batch', () => {
  runCrudScenarios(() => fx, scenarios);
});
