/**
 * The record routes' fast lane next to hooks: a request hook or custom route for a path still
 * gets that path (the lane steps aside for it), while hooks registered for other collections and
 * paths leave every other record request on the lane with the same answer the app gives.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './harness.ts';

const HOOKS = `export default (hearth) => {
  hearth.onRequest({ collection: 'hooked' }, async (e, next) => {
    const res = await next();
    res.headers.set('x-hooked', 'collection');
    return res;
  });
  hearth.onRequest({ path: '/api/collections/prefixed/' }, async (e, next) => {
    const res = await next();
    res.headers.set('x-hooked', 'path');
    return res;
  });
  hearth.routerAdd('GET', '/api/collections/routed/records/{id}', (e) => ({ custom: e.params.id }));
  hearth.onRequest({ collection: 'elsewhere' }, (e, next) => next());
  hearth.routerAdd('GET', '/api/hello/{name}', (e) => ({ hello: e.params.name }));
};
`;

let t: TestServer;
let hooksDir: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  hooksDir = mkdtempSync(join(tmpdir(), 'hearth-fast-hooks-'));
  writeFileSync(join(hooksDir, 'lane.js'), HOOKS);
  t = await startServer({ hooksDir });
  for (const name of ['hooked', 'prefixed', 'routed', 'plain']) {
    expect((await t.api('POST', '/api/collections', { name, fields: [{ name: 'body', type: 'text' }], viewRule: '', listRule: '', createRule: '', updateRule: '', deleteRule: '' }, t.adminToken)).status).toBe(200);
    ids[name] = (await t.api('POST', `/api/collections/${name}/records`, { body: name }, t.adminToken)).body.id;
  }
});
afterAll(async () => {
  await t.close();
  rmSync(hooksDir, { recursive: true, force: true });
});

const get = (path: string) => fetch(t.url + path);

describe('the record fast lane with hooks registered', () => {
  it('lets a collection request hook see its GETs', async () => {
    const res = await get(`/api/collections/hooked/records/${ids.hooked}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-hooked')).toBe('collection');
    expect((await res.json()).body).toBe('hooked');
  });

  it('lets a path request hook see the GETs under its prefix', async () => {
    const res = await get(`/api/collections/prefixed/records/${ids.prefixed}`);
    expect(res.headers.get('x-hooked')).toBe('path');
    expect((await res.json()).body).toBe('prefixed');
  });

  it('lets a custom route on a record path answer it', async () => {
    const res = await get(`/api/collections/routed/records/${ids.routed}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ custom: ids.routed });
  });

  it('answers other collections as the app does, without the hooks', async () => {
    const path = `/api/collections/plain/records/${ids.plain}`;
    const http = await get(path);
    const app = await t.server.fetch(new Request(t.url + path));
    expect(http.status).toBe(200);
    expect(http.headers.get('x-hooked')).toBeNull();
    expect(await http.json()).toEqual(await app.json());
    expect((await get('/api/collections/plain/records/nope')).status).toBe(404);
    expect(await (await get('/api/hello/you')).json()).toEqual({ hello: 'you' });
  });

  it('lets a collection request hook see its lists and writes, and leaves other collections’ on the lane', async () => {
    const write = (method: string, path: string, body?: unknown) =>
      fetch(t.url + path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    for (const [method, path, body] of [
      ['GET', '/api/collections/hooked/records', undefined],
      ['POST', '/api/collections/hooked/records', { body: 'new' }],
      ['PATCH', `/api/collections/hooked/records/${ids.hooked}`, { body: 'changed' }],
    ] as const) {
      const res = await write(method, path, body);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-hooked')).toBe('collection');
    }
    const made = await write('POST', '/api/collections/hooked/records', { body: 'gone' });
    const gone = await write('DELETE', `/api/collections/hooked/records/${(await made.json()).id}`);
    expect(gone.status).toBe(204);
    expect(gone.headers.get('x-hooked')).toBe('collection');
    const plain = await write('POST', '/api/collections/plain/records', { body: 'on the lane' });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('x-hooked')).toBeNull();
    expect(await plain.json()).toMatchObject({ body: 'on the lane', collectionName: 'plain' });
  });
});
