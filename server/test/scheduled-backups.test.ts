/**
 * Scheduled backups driven by the `backups` settings over HTTP (cron has minute resolution, so
 * this waits for the next minute): cron on → an automatic archive appears; a bad cron is a 400.
 * Retention (cronMaxKeep) and stopping are covered with a seconds cron in admin/backup-schedule.test.ts.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type TestServer } from './harness.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startServer();
});
afterAll(async () => {
  await t.close();
});

it('creates an automatic backup on backups.cron', { timeout: 120_000 }, async () => {
  const autos = async (): Promise<string[]> => {
    const res = await t.api('GET', '/api/backups', undefined, t.adminToken);
    expect(res.status).toBe(200);
    return (res.body as { key: string }[]).map((b) => b.key).filter((k) => k.startsWith('@auto_hearth_backup_'));
  };
  expect(await autos()).toEqual([]);
  const bad = await t.api('PATCH', '/api/settings', { backups: { cron: 'every tuesday' } }, t.adminToken);
  expect(bad.status).toBe(400);
  const on = await t.api('PATCH', '/api/settings', { backups: { cron: '* * * * *', cronMaxKeep: 1 } }, t.adminToken);
  expect(on.status).toBe(200);
  await expect.poll(async () => (await autos()).length, { timeout: 90_000, interval: 500 }).toBe(1);
  const off = await t.api('PATCH', '/api/settings', { backups: { cron: '' } }, t.adminToken);
  expect(off.status).toBe(200);
});
