/**
 * Inputs that once answered a 500: JSON nested thousands of levels deep (every JSON body and
 * realtime message is bounded by MAX_JSON_DEPTH) and batch items that are not objects or whose
 * URL does not decode — each is a 400 naming the problem, and nothing is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_JSON_DEPTH } from '../src/shared/json.ts';
import { scalar } from './engine-state.ts';
import { startServer, type TestServer } from './harness.ts';

let t: TestServer;

beforeAll(async () => {
  t = await startServer();
  const res = await t.api(
    'POST',
    '/api/collections',
    { name: 'notes', fields: [{ name: 'title', type: 'text' }, { name: 'data', type: 'json' }], listRule: '', viewRule: '', createRule: '', updateRule: '' },
    t.adminToken,
  );
  expect(res.status).toBe(200);
});
afterAll(() => t.close());

const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const count = async () => Number(await scalar(t.server.engine, 'SELECT COUNT(*) FROM "notes"'));

describe('JSON nesting depth', () => {
  it('PATCH /api/settings with 10,000-deep JSON is a 400 naming the limit', async () => {
    const res = await t.api('PATCH', '/api/settings', `{"meta":${nested(10_000)}}`, t.adminToken);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, data: {} });
    expect(res.body.message).toContain('MAX_JSON_DEPTH');
    expect((await t.api('GET', '/api/settings', undefined, t.adminToken)).status).toBe(200);
  });

  it('a record create with deep JSON is a 400 and writes nothing', async () => {
    const before = await count();
    const res = await t.api('POST', '/api/collections/notes/records', `{"title":"x","data":${nested(5_000)}}`);
    expect(res.status).toBe(400);
    expect(await count()).toBe(before);
  });

  it('deep arrays count as nesting too, brackets inside strings do not', async () => {
    const deepArray = await t.api('POST', '/api/collections/notes/records', `{"data":${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}}`);
    expect(deepArray.status).toBe(400);
    const bracketText = await t.api('POST', '/api/collections/notes/records', { title: '{'.repeat(500), data: { a: '[['.repeat(300) } });
    expect(bracketText.status).toBe(200);
  });

  it('nesting at the limit is accepted', async () => {
    // The body object is level 1, so data may nest MAX_JSON_DEPTH - 1 levels.
    const res = await t.api('POST', '/api/collections/notes/records', `{"data":${nested(MAX_JSON_DEPTH - 1)}}`);
    expect(res.status).toBe(200);
  });

  it('a deep realtime WebSocket message gets an error frame, and the socket keeps working', async () => {
    const ws = new WebSocket(t.url.replace('http', 'ws') + '/api/realtime/ws');
    const frames: any[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(String(data))));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const until = async (pred: (f: any) => boolean) => {
      for (let i = 0; i < 200 && !frames.some(pred); i++) await new Promise((r) => setTimeout(r, 10));
      return frames.find(pred);
    };
    ws.send(`{"type":"ping","x":${nested(10_000)}}`);
    const err = await until((f) => f.type === 'error');
    expect(err).toMatchObject({ status: 400 });
    expect(err.message).toContain('MAX_JSON_DEPTH');
    ws.send('{"type":"ping"}');
    expect(await until((f) => f.type === 'pong')).toBeTruthy();
    ws.close();
  });
});

describe('batch items', () => {
  it('{"requests":[null]} is a 400 with the item\'s field errors', async () => {
    const res = await t.api('POST', '/api/batch', { requests: [null] });
    expect(res.status).toBe(400);
    expect(res.body.data.requests['0']).toMatchObject({ method: { code: 'validation_required' }, url: { code: 'validation_required' } });
  });

  it('only the non-object items are named', async () => {
    const ok = { method: 'POST', url: '/api/collections/notes/records', body: { title: 'fine' } };
    const before = await count();
    const res = await t.api('POST', '/api/batch', { requests: [ok, 7, ok, [], 'x'] });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.data.requests).sort()).toEqual(['1', '3', '4']);
    expect(await count()).toBe(before);
  });

  it.each([
    ['collection', 'POST', '/api/collections/%ff/records'],
    ['record id', 'PATCH', '/api/collections/notes/records/%ff'],
  ])('a %s with malformed percent-encoding is that item\'s 400, not a nested 500', async (_what, method, url) => {
    const before = await count();
    const res = await t.api('POST', '/api/batch', {
      requests: [{ method: 'POST', url: '/api/collections/notes/records', body: { title: 'a' } }, { method, url, body: {} }],
    });
    expect(res.status).toBe(400);
    expect(res.body.data.requests['1']).toMatchObject({ code: 'batch_request_failed', response: { status: 400 } });
    expect(res.body.data.requests['0']).toBeUndefined();
    expect(await count()).toBe(before);
  });
});
