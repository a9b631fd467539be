/**
 * Errors: one HearthError for every failure — the server's `{status, message, data}` with
 * per-field errors, aborts (`isAbort`), timeouts (`isTimeout`) and network failures (`status` 0).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, HearthError, isHearthError } from '../src/index.ts';
import { createFixtureCollections, startHearth, type TestHearth } from './harness.ts';

let t: TestHearth;
/** A TCP endpoint that accepts requests and never answers: the slow network for abort/timeout. */
let silent: Server;
let silentUrl: string;
/** The discard port: nothing listens there on a test machine. */
const NOTHING_LISTENS = 'http://127.0.0.1:9';

beforeAll(async () => {
  t = await startHearth();
  await createFixtureCollections(t.admin);
  silent = createHttpServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
});
afterAll(async () => {
  silent.closeAllConnections();
  await new Promise((r) => silent.close(r));
  await t.close();
});

const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e as HearthError);

describe('HearthError', () => {
  it('carries status, message and per-field data of a validation failure', async () => {
    const err = await failure(t.admin.collection('posts').create({ views: 1, status: 'nope' as never }));
    expect(err).toBeInstanceOf(HearthError);
    expect(isHearthError(err)).toBe(true);
    expect(err.name).toBe('HearthError');
    expect(err.status).toBe(400);
    expect(err.message).toBe('Failed to create record.');
    expect(err.field('title')?.code).toBe('validation_required');
    expect(err.data.status).toMatchObject({ code: expect.any(String) });
    expect(err.response).toMatchObject({ status: 400, message: 'Failed to create record.' });
    expect(err.url).toContain('/api/collections/posts/records');
    expect(err.isAbort).toBe(false);
  });

  it('maps 404, 403 and bad queries', async () => {
    const anon = t.client();
    expect(await failure(anon.collection('posts').get('missingmissing1'))).toMatchObject({ status: 404, data: {} });
    expect(await failure(anon.send('/api/collections'))).toMatchObject({ status: 401 });
    expect((await failure(anon.collection('posts').list({ filter: 'nofield = 1' }))).status).toBe(400);
    expect((await failure(createClient(t.url).collection('nonexistent').list())).status).toBe(404);
  });

  it('hides rows a rule forbids (200 with fewer items) and refuses writes with 400/403/404', async () => {
    const anon = t.client();
    expect((await anon.collection('notes').list()).items).toEqual([]);
    const err = await failure(anon.collection('notes').create({ text: 'x', owner: 'abc' }));
    expect([400, 403]).toContain(err.status);
  });

  it('rejects with isAbort when the caller aborts (before or during the request)', async () => {
    const before = new AbortController();
    before.abort();
    const early = await failure(t.admin.collection('posts').list({ signal: before.signal }));
    expect(early).toMatchObject({ status: 0, isAbort: true, isTimeout: false });
    const slow = createClient(silentUrl);
    const during = new AbortController();
    const pending = failure(slow.collection('posts').list({ signal: during.signal }));
    setTimeout(() => during.abort(), 50);
    expect(await pending).toMatchObject({ status: 0, isAbort: true, isTimeout: false });
  });

  it('rejects with isTimeout past the per-call or client timeout', async () => {
    const slow = createClient(silentUrl, { timeout: 100 });
    const err = await failure(slow.collection('posts').list());
    expect(err).toMatchObject({ status: 0, isTimeout: true, isAbort: false });
    expect(err.message).toMatch(/timed out after 100 ms/);
    expect(await failure(slow.collection('posts').get('x', { timeout: 30 }))).toMatchObject({ isTimeout: true });
  });

  it('reports network failures as status 0', async () => {
    const err = await failure(createClient(NOTHING_LISTENS).health());
    expect(err).toMatchObject({ status: 0, isAbort: false, isTimeout: false });
    expect(err.message).toMatch(/^Network error/);
  });

  it('succeeds within the timeout', async () => {
    expect((await t.client({ timeout: 5000 }).health()).status).toBe(200);
  });
});
