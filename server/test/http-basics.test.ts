/** Cross-cutting HTTP behaviour: health, unknown routes, CORS, and the body limits (declared and streamed). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECORD_BODY_BASE } from '../src/records/index.ts';
import { scalar } from './engine-state.ts';
import { startServer, type TestServer } from './harness.ts';

let t: TestServer;
const count = async () => Number(await scalar(t.server.engine, 'SELECT COUNT(*) FROM notes'));
beforeAll(async () => {
  t = await startServer();
  await t.api('POST', '/api/collections', { name: 'notes', fields: [{ name: 'body', type: 'text' }], createRule: '' }, t.adminToken);
});
afterAll(() => t.close());

const LIMIT = 10 * 1024 * 1024;

describe('http basics', () => {
  it('answers health and unknown routes in the error shape', async () => {
    expect((await t.api('GET', '/api/health')).body).toEqual({ code: 200, status: 200, message: 'API is healthy.', data: {} });
    const missing = await t.api('GET', '/api/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ status: 404, message: expect.any(String), data: {} });
  });

  it('answers CORS preflights and marks responses', async () => {
    const pre = await fetch(`${t.url}/api/collections/notes/records`, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-methods')).toContain('PATCH');
    expect(pre.headers.get('access-control-allow-headers')).toBe('content-type,authorization');
    const res = await fetch(`${t.url}/api/health`, { headers: { origin: 'http://app.test' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('keeps the server body limit for requests other than record writes', async () => {
    const res = await t.api('POST', '/api/collections', JSON.stringify({ name: 'big', fields: [{ name: 'x'.repeat(LIMIT), type: 'text' }] }), t.adminToken);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ status: 413, data: {} });
  });

  it('lets a record write carry more than the server body limit (PocketBase: 32 MiB + field allowances)', async () => {
    const docs = await t.api('POST', '/api/collections', { name: 'docs', fields: [{ name: 'doc', type: 'json', maxSize: 2 * LIMIT }], createRule: '' }, t.adminToken);
    expect(docs.status).toBe(200);
    const res = await t.api('POST', '/api/collections/docs/records', JSON.stringify({ doc: 'x'.repeat(LIMIT + 1024) }));
    expect(res.status).toBe(200);
  });

  it('refuses a declared record body over its limit with 413 and writes nothing', async () => {
    const before = await count();
    const body = JSON.stringify({ body: 'x'.repeat(RECORD_BODY_BASE) });
    const res = await t.api('POST', '/api/collections/notes/records', body);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ status: 413, data: {} });
    expect(await count()).toBe(before);
  });

  it('refuses a streamed record body of unknown length once it passes its limit', async () => {
    const before = await count();
    const chunk = new TextEncoder().encode('x'.repeat(1024 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('{"body":"'));
        if (sent++ < RECORD_BODY_BASE / chunk.length + 2) controller.enqueue(chunk);
        else {
          controller.enqueue(new TextEncoder().encode('"}'));
          controller.close();
        }
      },
    });
    const res = await fetch(`${t.url}/api/collections/notes/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await count()).toBe(before);
  });
});
