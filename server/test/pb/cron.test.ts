/**
 * PocketBase's cron API scenarios (apis/cron_test.go): GET /api/crons and POST /api/crons/{id}
 * are superuser-only, list jobs as `{id, expression}` sorted by id, and a run answers 204 at once
 * and calls the job exactly once.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../harness.ts';

let t: TestServer;
let bare: TestServer;
let hooksDir: string;
let userToken: string;

async function calls(): Promise<number> {
  const res = await t.api('GET', '/api/collections/calls/records?filter=' + encodeURIComponent('manual = true'), undefined, t.adminToken);
  return res.body.totalItems;
}

async function waitForCalls(n: number): Promise<void> {
  for (let i = 0; i < 200 && (await calls()) < n; i++) await new Promise((r) => setTimeout(r, 25));
}

beforeAll(async () => {
  hooksDir = mkdtempSync(join(tmpdir(), 'hearth-cron-hooks-'));
  copyFileSync(join(import.meta.dirname, '../fixtures/hooks-cron.ts'), join(hooksDir, 'jobs.ts'));
  t = await startServer({ hooksDir });
  bare = await startServer();
  await t.api('POST', '/api/collections', { name: 'calls', fields: [{ name: 'job', type: 'text' }, { name: 'manual', type: 'bool' }] }, t.adminToken);
  await t.api('POST', '/api/collections/users/records', { email: 'u@example.com', password: 'password123', passwordConfirm: 'password123' });
  userToken = (await t.api('POST', '/api/collections/users/auth-with-password', { identity: 'u@example.com', password: 'password123' })).body.token;
});

afterAll(async () => {
  await t?.close();
  await bare?.close();
  rmSync(hooksDir, { recursive: true, force: true });
});

describe('GET /api/crons', () => {
  it('unauthorized → 401', async () => {
    const res = await t.api('GET', '/api/crons');
    expect(res.status).toBe(401);
    expect(res.body.data).toEqual({});
  });

  it('authorized as regular user → 403', async () => {
    const res = await t.api('GET', '/api/crons', undefined, userToken);
    expect(res.status).toBe(403);
    expect(res.body.data).toEqual({});
  });

  it('authorized as superuser (empty list) → 200 []', async () => {
    const res = await bare.api('GET', '/api/crons', undefined, bare.adminToken);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
  });

  it('authorized as superuser → 200 with every job, sorted by id', async () => {
    const res = await t.api('GET', '/api/crons', undefined, t.adminToken);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { id: 'a_cleanup', expression: '0 */6 * * *' },
      { id: 'test', expression: '* * * * *' },
    ]);
  });
});

describe('POST /api/crons/{id}', () => {
  it('unauthorized → 401, the job is not called', async () => {
    const res = await t.api('POST', '/api/crons/test');
    expect(res.status).toBe(401);
    expect(res.body.data).toEqual({});
    expect(await calls()).toBe(0);
  });

  it('authorized as regular user → 403, the job is not called', async () => {
    const res = await t.api('POST', '/api/crons/test', undefined, userToken);
    expect(res.status).toBe(403);
    expect(res.body.data).toEqual({});
    expect(await calls()).toBe(0);
  });

  it('authorized as superuser (missing job) → 404', async () => {
    const res = await t.api('POST', '/api/crons/missing', undefined, t.adminToken);
    expect(res.status).toBe(404);
    expect(res.body.data).toEqual({});
    expect(await calls()).toBe(0);
  });

  it('authorized as superuser (existing job) → 204, the job is called once', async () => {
    const res = await t.api('POST', '/api/crons/test', undefined, t.adminToken);
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
    await waitForCalls(1);
    expect(await calls()).toBe(1);
  });
});
