/**
 * When another process holds the data file's write lock past the lock wait (LOCK_WAIT_MS), a
 * write is a 503 with `Retry-After` and the PocketBase error body — not a 500 — and nothing of it
 * is written; a batch answers it the same way. Once the lock is released the same write succeeds.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSY_RETRY_SECONDS } from '../src/shared/errors.ts';
import { startServer, TEST_ENGINE, type TestServer } from './harness.ts';

let t: TestServer;

beforeAll(async () => {
  t = await startServer();
  const res = await t.api('POST', '/api/collections', { name: 'notes', fields: [{ name: 'title', type: 'text' }], listRule: '', viewRule: '', createRule: '' }, t.adminToken);
  expect(res.status).toBe(200);
});
afterAll(() => t.close());

const titles = async (): Promise<string[]> =>
  (await t.api('GET', '/api/collections/notes/records?perPage=100')).body.items.map((r: { title: string }) => r.title);

describe.skipIf(TEST_ENGINE !== 'sqlite')('a write lock held by another process', () => {
  it('a create is a 503 with Retry-After, writes nothing, and succeeds once the lock is free', async () => {
    const other = new Database(join(t.dir, 'data.db'));
    other.exec('BEGIN IMMEDIATE');
    try {
      const res = await t.api('POST', '/api/collections/notes/records', { title: 'while locked' });
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: 503, message: 'The database is busy, try again.', data: {} });
      expect(res.headers.get('retry-after')).toBe(String(BUSY_RETRY_SECONDS));
      // Reads keep answering from the last commit meanwhile.
      expect(await titles()).toEqual([]);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await titles()).toEqual([]);
    expect((await t.api('POST', '/api/collections/notes/records', { title: 'after' })).status).toBe(200);
    expect(await titles()).toEqual(['after']);
  }, 30_000);

  it('a batch is a 503 too, and none of its writes land', async () => {
    const other = new Database(join(t.dir, 'data.db'));
    other.exec('BEGIN IMMEDIATE');
    try {
      const res = await t.api('POST', '/api/batch', {
        requests: [
          { method: 'POST', url: '/api/collections/notes/records', body: { title: 'b1' } },
          { method: 'POST', url: '/api/collections/notes/records', body: { title: 'b2' } },
        ],
      }, t.adminToken);
      expect(res.status).toBe(503);
      expect(res.body.status).toBe(503);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect((await titles()).sort()).toEqual(['after']);
  }, 30_000);
});
