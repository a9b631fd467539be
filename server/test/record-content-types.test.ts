/**
 * Record writes parse a body only when it is JSON, multipart or urlencoded. Anything else — the
 * `text/plain` a cross-site HTML form may send without a preflight, or no type at all — is a
 * 400 and writes nothing, on create, update and batch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scalar } from './engine-state.ts';
import { startServer, type TestServer } from './harness.ts';

let t: TestServer;
let existing: string;

const count = async () => Number(await scalar(t.server.engine, 'SELECT COUNT(*) AS n FROM notes'));
const send = (method: string, path: string, body: BodyInit, type?: string) =>
  fetch(t.url + path, { method, body, headers: type === undefined ? {} : { 'content-type': type } }).then(async (r) => ({
    status: r.status,
    body: await r.json().catch(() => null),
  }));

beforeAll(async () => {
  t = await startServer();
  const res = await t.api('POST', '/api/collections', {
    name: 'notes',
    fields: [{ name: 'text', type: 'text' }],
    listRule: '', viewRule: '', createRule: '', updateRule: '', deleteRule: '',
  }, t.adminToken);
  expect(res.status).toBe(200);
  existing = (await t.api('POST', '/api/collections/notes/records', { text: 'original' })).body.id;
});
afterAll(() => t.close());

const JSON_TEXT = JSON.stringify({ text: 'written cross-site' });
const REFUSED: Array<[string, string | undefined]> = [
  ['text/plain (a simple cross-site form post)', 'text/plain'],
  ['text/plain with charset', 'text/plain;charset=UTF-8'],
  ['application/xml', 'application/xml'],
  ['no content type', undefined],
];

describe('record writes and Content-Type', () => {
  it.each(REFUSED)('create with %s is a 400 and writes nothing', async (_name, type) => {
    const before = await count();
    const res = await send('POST', '/api/collections/notes/records', new TextEncoder().encode(JSON_TEXT), type);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, data: {} });
    expect(await count()).toBe(before);
  });

  it.each(REFUSED)('update with %s is a 400 and changes nothing', async (_name, type) => {
    const res = await send('PATCH', `/api/collections/notes/records/${existing}`, new TextEncoder().encode(JSON_TEXT), type);
    expect(res.status).toBe(400);
    expect((await t.api('GET', `/api/collections/notes/records/${existing}`)).body.text).toBe('original');
  });

  it('batch with text/plain is a 400 and writes nothing', async () => {
    const before = await count();
    const body = JSON.stringify({ requests: [{ method: 'POST', url: '/api/collections/notes/records', body: { text: 'batched' } }] });
    expect((await send('POST', '/api/batch', body, 'text/plain')).status).toBe(400);
    expect(await count()).toBe(before);
  });

  it('JSON, urlencoded and multipart are accepted', async () => {
    expect((await send('POST', '/api/collections/notes/records', JSON_TEXT, 'application/json')).status).toBe(200);
    expect((await send('POST', '/api/collections/notes/records', new URLSearchParams({ text: 'form' }))).status).toBe(200);
    const form = new FormData();
    form.append('text', 'multipart');
    expect((await send('POST', '/api/collections/notes/records', form)).status).toBe(200);
    const multipartJson = new FormData();
    multipartJson.append('@jsonPayload', JSON.stringify({ text: 'payload' }));
    const res = await send('POST', '/api/collections/notes/records', multipartJson);
    expect(res.body.text).toBe('payload');
  });

  it('an update without a body (nothing to change) is still fine', async () => {
    const res = await fetch(`${t.url}/api/collections/notes/records/${existing}`, { method: 'PATCH' });
    expect(res.status).toBe(200);
  });
});
