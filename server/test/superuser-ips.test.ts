/**
 * The `superuserIPs` setting beyond PocketBase's own scenarios (pb/middlewares, pb/file): a
 * superuser sign-in, a backup download by file token and a realtime sign-in from outside the list
 * are refused; a list that would lock out the superuser sending it is refused; bad entries are
 * field errors; `hearth superuser ips` sets the list in the data dir (on PostgreSQL with `--db`, in
 * the database), and a running server applies it at once — on PostgreSQL when the settings note
 * arrives (no addresses clears it: the way back in).
 * Requests from outside the list really come from 127.0.0.2 (loopback on Linux).
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, TEST_ENGINE, type TestServer } from './harness.ts';
import { itSqliteOnly } from './sqlite-only.ts';
import { OTHER_LOOPBACK, otherLoopbackUsable, requestFrom } from './from-address.ts';

const OUTSIDE = OTHER_LOOPBACK;
/** The cases that send from outside the list need a second loopback address. */
const itFromOutside = it.runIf(otherLoopbackUsable);
/** Backups are a SQLite feature (PostgreSQL's are `pg_dump`'s): reported as skipped there. */
const itBackupFromOutside = (name: string, fn: () => Promise<void>) =>
  TEST_ENGINE === 'postgres' ? itSqliteOnly(name, "backups are pg_dump's on PostgreSQL", fn) : itFromOutside(name, fn);
let t: TestServer;

const setList = async (ips: string[]) => {
  const res = await t.api('PATCH', '/api/settings', { superuserIPs: ips }, t.adminToken);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.superuserIPs).toEqual(ips);
};

beforeAll(async () => {
  t = await startServer({ passwordParams: { N: 2 ** 12, r: 8, p: 1 } });
});
afterEach(async () => {
  await t.api('PATCH', '/api/settings', { superuserIPs: [] }, t.adminToken);
});
afterAll(() => t.close());

describe('superuserIPs', () => {
  itFromOutside('refuses a superuser sign-in from outside the list, and admits it from inside', async () => {
    await setList(['127.0.0.1']);
    const body = JSON.stringify({ identity: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    const headers = { 'content-type': 'application/json' };
    const outside = await requestFrom(OUTSIDE, `${t.url}/api/collections/_superusers/auth-with-password`, { method: 'POST', headers, body });
    expect(outside.status).toBe(403);
    expect(JSON.parse(outside.text)).toMatchObject({ status: 403, data: {} });
    const inside = await requestFrom('127.0.0.1', `${t.url}/api/collections/_superusers/auth-with-password`, { method: 'POST', headers, body });
    expect(inside.status).toBe(200);
    expect(JSON.parse(inside.text).token).toEqual(expect.any(String));
  });

  itBackupFromOutside('gives a superuser file token no power over backups from outside the list', async () => {
    await t.server.backups.createBackup('ips.zip');
    const token = (await t.api('POST', '/api/files/token', undefined, t.adminToken)).body.token as string;
    await setList(['127.0.0.1']);
    expect((await requestFrom(OUTSIDE, `${t.url}/api/backups/ips.zip?token=${token}`)).status).toBe(403);
    const inside = await requestFrom('127.0.0.1', `${t.url}/api/backups/ips.zip?token=${token}`);
    expect(inside.status).toBe(200);
  });

  itFromOutside('refuses a realtime sign-in of a superuser from outside the list', async () => {
    await setList(['127.0.0.1']);
    /** The server's answer to an `auth` message with the superuser's token, sent after the first `ready`. */
    const answer = (localAddress: string) =>
      new Promise<Record<string, unknown>>((done, fail) => {
        const ws = new WebSocket(`${t.url.replace(/^http/, 'ws')}/api/realtime/ws`, { localAddress });
        let sent = false;
        ws.on('error', fail);
        ws.on('message', (data) => {
          const msg = JSON.parse(String(data)) as Record<string, unknown>;
          if (!sent && msg.type === 'ready') {
            sent = true;
            ws.send(JSON.stringify({ type: 'auth', token: t.adminToken }));
            return;
          }
          ws.close();
          done(msg);
        });
      });
    const outside = await answer(OUTSIDE);
    expect(outside).toMatchObject({ type: 'error', status: 403 });
    const inside = await answer('127.0.0.1');
    expect(inside.type).toBe('ready');
  });

  it('refuses a list that leaves out the address of the superuser sending it', async () => {
    const res = await t.api('PATCH', '/api/settings', { superuserIPs: ['10.0.0.0/8'] }, t.adminToken);
    expect(res.status).toBe(400);
    expect(res.body.data.superuserIPs.code).toBe('validation_superuser_ip_locked_out');
    expect((await t.api('GET', '/api/settings', undefined, t.adminToken)).body.superuserIPs).toEqual([]);
    await setList(['10.0.0.0/8', '127.0.0.0/8']);
  });

  it('checks every entry: an address or a CIDR subnet', async () => {
    const res = await t.api('PATCH', '/api/settings', { superuserIPs: ['127.0.0.1', 'localhost', '10.0.0.0/40'] }, t.adminToken);
    expect(res.status).toBe(400);
    expect(res.body.data.superuserIPs['1'].code).toBe('validation_invlaid_ip_or_subnet');
    expect(res.body.data.superuserIPs['2'].code).toBe('validation_invlaid_ip_or_subnet');
    expect(res.body.data.superuserIPs['0']).toBeUndefined();
  });
});

describe('hearth superuser ips', () => {
  // Three child processes, each loading the server's modules: seconds each on a loaded machine.
  it('sets and clears the list in the data dir', { timeout: 300_000 }, async () => {
    const bin = join(resolve(import.meta.dirname, '../..'), 'cli/bin/hearth.js');
    // Asynchronous: the server under test shares this process and must keep serving meanwhile.
    const target = TEST_ENGINE === 'postgres' ? ['--db', t.database] : ['--dir', t.server.config.dir];
    const run = (...args: string[]) =>
      new Promise<{ status: number; stdout: string; stderr: string }>((done) => {
        execFile(process.execPath, [bin, 'superuser', 'ips', ...args, ...target], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) =>
          done({ status: err ? Number((err as { code?: unknown }).code ?? 1) || 1 : 0, stdout, stderr }),
        );
      });
    const bad = await run('not-an-ip');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('validation_invlaid_ip_or_subnet');
    const set = await run('10.1.2.3', '192.168.0.0/16');
    expect(set.status, set.stderr).toBe(0);
    const stored = async () => JSON.parse((await t.server.engine.get<{ value: string }>(`SELECT "value" FROM "_params" WHERE "key" = 'settings'`))!.value).superuserIPs;
    expect(await stored()).toEqual(['10.1.2.3', '192.168.0.0/16']);
    // The running server applies it without a restart: this superuser (127.0.0.1) is outside the list now.
    // (The request that notices the other process's write may still be answered under the old list.)
    const settingsStatus = async () => (await t.api('GET', '/api/settings', undefined, t.adminToken)).status;
    const answers = async (status: number) => {
      // On PostgreSQL the server re-reads the settings when the database's note arrives.
      if (TEST_ENGINE === 'postgres') return void (await expect.poll(settingsStatus, { timeout: 20_000 }).toBe(status));
      await settingsStatus();
      expect(await settingsStatus()).toBe(status);
    };
    await answers(403);
    const cleared = await run();
    expect(cleared.status, cleared.stderr).toBe(0);
    expect(cleared.stdout).toContain('Cleared superuserIPs');
    expect(await stored()).toEqual([]);
    await answers(200);
  });
});
