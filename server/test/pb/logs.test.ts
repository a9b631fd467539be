/**
 * /api/logs, /api/logs/{id} and /api/logs/stats: PocketBase's scenarios (apis/logs_test.go:
 * guards, list, filter on data.*, view, 404, hourly stats), then what Hearth adds: every
 * request lands in logs.db (not data.db) with a request id matching X-Request-Id, filters and
 * sorts in the query language, and errors answered as 400.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openDatabase, type SqlDb } from '../../src/db/index.ts';
import { createLogStore, DEFAULT_LOGS_SETTINGS, type LogsSettings } from '../../src/admin/logs/index.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { startServer, type TestServer } from '../harness.ts';

let t: TestServer;
let logsDb: SqlDb;
let userToken: string;

/** PocketBase's stub: two entries a day apart, status 200 and 400. */
const STUBS = [
  { id: '873f2133-9f38-44fb-bf82-c8f53b310d91', created: '2022-05-01 10:00:00.123Z', level: 0, message: 'test_message1', data: { status: 200, type: 'request' } },
  { id: 'f2133873-44fb-9f38-bf82-c918f53b310d', created: '2022-05-02 10:00:00.123Z', level: 8, message: 'test_message2', data: { status: 400, type: 'request' } },
];

/** Writes pending entries (a superuser list read flushes and is itself not logged), then keeps only the stubs. */
async function onlyStubs(): Promise<void> {
  expect((await t.api('GET', '/api/logs', undefined, t.adminToken)).status).toBe(200);
  logsDb.run('DELETE FROM _logs');
  for (const s of STUBS) logsDb.run('INSERT INTO _logs (id, created, level, message, data) VALUES (?, ?, ?, ?, ?)', [s.id, s.created, s.level, s.message, JSON.stringify(s.data)]);
}

beforeAll(async () => {
  t = await startServer();
  logsDb = openDatabase(join(t.dir, 'logs.db'));
  const email = 'reader@example.com';
  const created = await t.api('POST', '/api/collections/users/records', { email, password: 'reader-password-1', passwordConfirm: 'reader-password-1' }, t.adminToken);
  expect(created.status).toBe(200);
  const auth = await t.api('POST', '/api/collections/users/auth-with-password', { identity: email, password: 'reader-password-1' });
  userToken = auth.body.token;
});

afterAll(async () => {
  logsDb.close();
  await t.close();
});

describe('PocketBase scenarios', () => {
  const guarded = ['/api/logs', '/api/logs/873f2133-9f38-44fb-bf82-c8f53b310d91', '/api/logs/stats'];

  it.each(guarded)('%s: 401 without auth, 403 for a regular user', async (path) => {
    const anon = await t.api('GET', path);
    expect(anon.status).toBe(401);
    expect(anon.body.data).toEqual({});
    const user = await t.api('GET', path, undefined, userToken);
    expect(user.status).toBe(403);
    expect(user.body.data).toEqual({});
  });

  it('lists every entry for a superuser', async () => {
    await onlyStubs();
    const res = await t.api('GET', '/api/logs', undefined, t.adminToken);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ page: 1, perPage: 30, totalItems: 2, totalPages: 1 });
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual(STUBS.map((s) => s.id));
    expect(res.body.items[0]).toEqual(STUBS[0]);
  });

  it('filters on data fields', async () => {
    await onlyStubs();
    const res = await t.api('GET', `/api/logs?filter=${encodeURIComponent('data.status>200')}`, undefined, t.adminToken);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ page: 1, perPage: 30, totalItems: 1 });
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([STUBS[1]!.id]);
  });

  it('views one entry, 404 for a missing one', async () => {
    await onlyStubs();
    const found = await t.api('GET', `/api/logs/${STUBS[0]!.id}`, undefined, t.adminToken);
    expect(found.status).toBe(200);
    expect(found.body.id).toBe(STUBS[0]!.id);
    const missing = await t.api('GET', '/api/logs/missing1-9f38-44fb-bf82-c8f53b310d91', undefined, t.adminToken);
    expect(missing.status).toBe(404);
    expect(missing.body.data).toEqual({});
  });

  it('counts per hour, with and without a filter', async () => {
    await onlyStubs();
    const all = await t.api('GET', '/api/logs/stats', undefined, t.adminToken);
    expect(all.status).toBe(200);
    expect(all.body).toEqual([
      { date: '2022-05-01 10:00:00.000Z', total: 1 },
      { date: '2022-05-02 10:00:00.000Z', total: 1 },
    ]);
    const filtered = await t.api('GET', `/api/logs/stats?filter=${encodeURIComponent('data.status>200')}`, undefined, t.adminToken);
    expect(filtered.body).toEqual([{ date: '2022-05-02 10:00:00.000Z', total: 1 }]);
  });
});

describe('request logging', () => {
  it('records each request with its request id, in logs.db and not in data.db', async () => {
    const res = await fetch(`${t.url}/api/collections/nope/records?x=1`, { headers: { 'user-agent': 'logs-test', 'x-request-id': 'trace-abc.1' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('trace-abc.1');
    const filter = encodeURIComponent('data.requestId = "trace-abc.1"');
    const list = await t.api('GET', `/api/logs?filter=${filter}`, undefined, t.adminToken);
    expect(list.body.totalItems).toBe(1);
    const entry = list.body.items[0];
    expect(entry.level).toBe(8);
    expect(entry.message).toBe('GET /api/collections/nope/records?x=1');
    expect(entry.data).toMatchObject({ type: 'request', method: 'GET', status: 404, url: '/api/collections/nope/records?x=1', auth: '', userAgent: 'logs-test', userIP: '127.0.0.1' });
    expect(typeof entry.data.execTime).toBe('number');
    expect(typeof entry.data.error).toBe('string');
    const main = openDatabase(join(t.dir, 'data.db'));
    try {
      expect(main.pluck("SELECT COUNT(*) FROM sqlite_master WHERE name = '_logs'")[0]).toBe(0);
    } finally {
      main.close();
    }
  });

  it('replaces an unusable incoming request id with its own', async () => {
    const res = await fetch(`${t.url}/api/health`, { headers: { 'x-request-id': 'bad id with spaces' } });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('names the superuser collection of an authenticated request and filters with && and sort', async () => {
    for (let i = 0; i < 3; i++) expect((await t.api('GET', `/api/collections/users/records?n=${i}`, undefined, t.adminToken)).status).toBe(200);
    const filter = encodeURIComponent('data.auth = "_superusers" && data.url ~ "/api/collections/users/records?n=" && data.status = 200');
    const res = await t.api('GET', `/api/logs?filter=${filter}&sort=-data.url&perPage=2`, undefined, t.adminToken);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ totalItems: 3, totalPages: 2, perPage: 2 });
    expect(res.body.items.map((i: { data: { url: string } }) => i.data.url)).toEqual(['/api/collections/users/records?n=2', '/api/collections/users/records?n=1']);
    expect(res.body.items[0].level).toBe(0);
  });

  it('answers 400 for unknown fields and bad syntax, never 500', async () => {
    for (const filter of ['nope = 1', 'data.status >', 'data.a-b = 1', 'rowid = 1']) {
      const res = await t.api('GET', `/api/logs?filter=${encodeURIComponent(filter)}`, undefined, t.adminToken);
      expect(res.status, filter).toBe(400);
      const stats = await t.api('GET', `/api/logs/stats?filter=${encodeURIComponent(filter)}`, undefined, t.adminToken);
      expect(stats.status, filter).toBe(400);
    }
  });
});

describe('logs settings', () => {
  const patchLogs = async (logs: Partial<LogsSettings>) => {
    const res = await t.api('PATCH', '/api/settings', { logs }, t.adminToken);
    expect(res.status).toBe(200);
    expect(res.body.logs).toMatchObject(logs);
  };
  const entryFor = async (tag: string) => {
    const res = await t.api('GET', `/api/logs?filter=${encodeURIComponent(`data.url ~ "${tag}"`)}`, undefined, t.adminToken);
    return res.body.items as { level: number; data: Record<string, unknown> }[];
  };

  it('logIP, logAuthId, minLevel and maxDays 0 change what is written', async () => {
    await patchLogs({ logIP: false, logAuthId: true });
    await t.api('GET', '/api/collections/users/records?tag=ip-off', undefined, t.adminToken);
    const [entry] = await entryFor('tag=ip-off');
    expect(entry?.data.userIP).toBeUndefined();
    expect(entry?.data.remoteIP).toBeUndefined();
    expect(typeof entry?.data.authId).toBe('string');

    await patchLogs({ minLevel: 8 });
    await t.api('GET', '/api/collections/users/records?tag=quiet-ok', undefined, t.adminToken);
    await t.api('GET', '/api/collections/nope/records?tag=loud-error');
    expect(await entryFor('tag=quiet-ok')).toEqual([]);
    expect((await entryFor('tag=loud-error')).map((e) => e.level)).toEqual([8]);

    await patchLogs({ maxDays: 0, minLevel: 0 });
    await t.api('GET', '/api/collections/nope/records?tag=logging-off');
    expect(await entryFor('tag=logging-off')).toEqual([]);
    await patchLogs({ ...DEFAULT_LOGS_SETTINGS });
  });
});

describe('log store', () => {
  it('writes queued entries in batches and prunes those older than maxDays', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-logstore-'));
    let settings: LogsSettings = { ...DEFAULT_LOGS_SETTINGS, maxDays: 5 };
    const store = createLogStore({ dir, settings: () => settings, logger: createLogger('silent') });
    try {
      for (let i = 0; i < 1200; i++) store.add({ level: 0, message: `m${i}`, data: { i } });
      expect(store.pending).toBe(1200);
      store.flush();
      expect(store.pending).toBe(0);
      expect(store.db.pluck('SELECT COUNT(*) FROM _logs')[0]).toBe(1200);
      store.db.run("UPDATE _logs SET created = '2000-01-01 00:00:00.000Z' WHERE message IN ('m0', 'm1')");
      expect(store.prune()).toBe(2);
      expect(store.db.pluck('SELECT COUNT(*) FROM _logs')[0]).toBe(1198);
      // Ten days on, everything is past a 5-day window.
      expect(store.prune(new Date(Date.now() + 10 * 86_400_000))).toBe(1198);
      settings = { ...settings, maxDays: 0 };
      store.add({ level: 8, message: 'off', data: {} });
      expect(store.pending).toBe(0);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
