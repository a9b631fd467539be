/**
 * PocketBase's backup API scenarios (apis/backup_test.go), as expectations against a real Hearth
 * server: each table row is one request; `setup` prepares backups, `check` inspects the result.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import PocketBase from 'pocketbase';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type TestServer } from '../harness.ts';

let t: TestServer;
let userToken: string;

beforeAll(async () => {
  t = await startServer();
  const created = await t.api('POST', '/api/collections/users/records', { email: 'user@example.com', password: 'a user password', passwordConfirm: 'a user password' }, t.adminToken);
  expect(created.status).toBe(200);
  const auth = await t.api('POST', '/api/collections/users/auth-with-password', { identity: 'user@example.com', password: 'a user password' });
  userToken = auth.body.token;
});
afterAll(() => t.close());

const keys = async () => (await t.server.backups.listBackups()).map((b) => b.key).sort();

async function clearBackups() {
  for (const key of await keys()) await t.server.backups.deleteBackup(key);
}

async function createTestBackups() {
  for (const name of ['test1.zip', 'test2.zip', 'test3.zip']) await t.server.backups.createBackup(name);
  // Not a valid new name, but an existing key may be any safe file name (as scheduled `@auto_…` ones).
  await t.server.backups.uploadBackup('@test4.zip', await copyOf('test1.zip'));
}

async function copyOf(key: string): Promise<string> {
  const path = t.server.backups.stagingPath();
  const { copyFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  copyFileSync(join(t.dir, 'backups', key), path);
  return path;
}

/** A superuser (or user) file token from POST /api/files/token. */
async function fileToken(token: string): Promise<string> {
  const res = await t.api('POST', '/api/files/token', undefined, token);
  expect(res.status).toBe(200);
  return res.body.token;
}

type Who = 'anonymous' | 'user' | 'superuser';
interface Scenario {
  name: string;
  method: string;
  url: string | (() => Promise<string>);
  auth?: Who;
  body?: unknown;
  setup?: () => unknown;
  status: number;
  /** Substrings the raw response body must contain. */
  contains?: string[];
  notContains?: string[];
  check?: () => Promise<void>;
}

const tokenOf = (who: Who | undefined) => (who === 'superuser' ? t.adminToken : who === 'user' ? userToken : undefined);

async function run(s: Scenario) {
  await clearBackups();
  await s.setup?.();
  const url = typeof s.url === 'string' ? s.url : await s.url();
  const headers: Record<string, string> = {};
  const token = tokenOf(s.auth);
  if (token) headers.authorization = token;
  let body: BodyInit | undefined;
  if (s.body instanceof FormData || s.body instanceof Uint8Array) body = s.body as BodyInit;
  else if (s.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(s.body);
  }
  const res = await fetch(t.url + url, { method: s.method, headers, body });
  const text = Buffer.from(await res.arrayBuffer()).toString('latin1');
  expect(res.status, text.slice(0, 300)).toBe(s.status);
  for (const c of s.contains ?? []) expect(text).toContain(c);
  for (const c of s.notContains ?? []) expect(text).not.toContain(c);
  await s.check?.();
}

const noBackups = async () => expect(await keys()).toEqual([]);
const fourBackups = async () => expect(await keys()).toHaveLength(4);

function emptyZipForm(filename = 'test'): FormData {
  // An empty zip: just the end-of-central-directory record.
  const eocd = new Uint8Array(22);
  eocd.set([0x50, 0x4b, 0x05, 0x06]);
  const form = new FormData();
  form.append('file', new Blob([eocd], { type: 'application/zip' }), filename);
  return form;
}

/** Holds the service busy (as PocketBase's active-backup flag) for the length of one request. */
function busy() {
  void t.server.backups.createBackup();
}

beforeEach(async () => {
  // wait for any backup a previous scenario left running
  while (t.server.backups.active !== null) await new Promise((r) => setTimeout(r, 10));
});

describe('GET /api/backups', () => {
  const scenarios: Scenario[] = [
    { name: 'unauthorized', method: 'GET', url: '/api/backups', setup: createTestBackups, status: 401, contains: ['"data":{}'] },
    { name: 'authorized as regular user', method: 'GET', url: '/api/backups', auth: 'user', setup: createTestBackups, status: 403, contains: ['"data":{}'] },
    { name: 'superuser, empty list', method: 'GET', url: '/api/backups', auth: 'superuser', status: 200, contains: ['[]'] },
    { name: 'superuser', method: 'GET', url: '/api/backups', auth: 'superuser', setup: createTestBackups, status: 200, contains: ['"test1.zip"', '"test2.zip"', '"test3.zip"', '"size":', '"modified":'] },
  ];
  for (const s of scenarios) it(s.name, () => run(s));
});

describe('POST /api/backups', () => {
  const scenarios: Scenario[] = [
    { name: 'unauthorized', method: 'POST', url: '/api/backups', status: 401, contains: ['"data":{}'], check: noBackups },
    { name: 'authorized as regular user', method: 'POST', url: '/api/backups', auth: 'user', status: 403, contains: ['"data":{}'], check: noBackups },
    { name: 'superuser, another backup pending', method: 'POST', url: '/api/backups', auth: 'superuser', setup: busy, status: 400, contains: ['"data":{}'] },
    {
      name: 'superuser, generated name',
      method: 'POST',
      url: '/api/backups',
      auth: 'superuser',
      status: 204,
      check: async () => {
        const list = await keys();
        expect(list).toHaveLength(1);
        expect(list[0]).toMatch(/^hearth_backup_hearth_\d{14}\.zip$/);
      },
    },
    { name: 'superuser, invalid name', method: 'POST', url: '/api/backups', auth: 'superuser', body: { name: '!test.zip' }, status: 400, contains: ['"name":{"code":"validation_match_invalid"'], check: noBackups },
    { name: 'superuser, valid name', method: 'POST', url: '/api/backups', auth: 'superuser', body: { name: 'test.zip' }, status: 204, check: async () => expect(await keys()).toEqual(['test.zip']) },
    {
      name: 'superuser, existing name',
      method: 'POST',
      url: '/api/backups',
      auth: 'superuser',
      body: { name: 'test1.zip' },
      setup: createTestBackups,
      status: 400,
      contains: ['"name":{"code":"validation_backup_name_exists"'],
      check: fourBackups,
    },
  ];
  for (const s of scenarios) it(s.name, () => run(s));
});

describe('POST /api/backups/upload', () => {
  const scenarios: Scenario[] = [
    { name: 'unauthorized', method: 'POST', url: '/api/backups/upload', body: emptyZipForm(), status: 401, contains: ['"data":{}'], check: noBackups },
    { name: 'authorized as regular user', method: 'POST', url: '/api/backups/upload', auth: 'user', body: emptyZipForm(), status: 403, contains: ['"data":{}'], check: noBackups },
    { name: 'superuser, missing file', method: 'POST', url: '/api/backups/upload', auth: 'superuser', status: 400, contains: ['"data":{"file":{'], check: noBackups },
    {
      name: 'superuser, existing backup name',
      method: 'POST',
      url: '/api/backups/upload',
      auth: 'superuser',
      body: emptyZipForm('test1.zip'),
      setup: () => t.server.backups.createBackup('test1.zip'),
      status: 400,
      contains: ['"data":{"file":{"code":"validation_backup_name_exists"'],
      check: async () => expect(await keys()).toEqual(['test1.zip']),
    },
    {
      name: 'superuser, not a zip',
      method: 'POST',
      url: '/api/backups/upload',
      auth: 'superuser',
      body: (() => {
        const f = new FormData();
        f.append('file', new Blob(['hello']), 'x.zip');
        return f;
      })(),
      status: 400,
      contains: ['"data":{"file":{"code":"validation_invalid_mime_type"'],
      check: noBackups,
    },
    { name: 'superuser, valid file', method: 'POST', url: '/api/backups/upload', auth: 'superuser', body: emptyZipForm(), status: 204, check: async () => expect(await keys()).toEqual(['test']) },
    {
      name: 'the default body limit is skipped',
      method: 'POST',
      url: '/api/backups/upload',
      auth: 'superuser',
      body: new Uint8Array(33 * 1024 * 1024),
      status: 400, // anything but 413
      contains: ['"data":{'],
      notContains: ['too large'],
    },
  ];
  for (const s of scenarios) it(s.name, () => run(s));
});

describe('GET /api/backups/{key}', () => {
  const superFile = () => fileToken(t.adminToken);
  const scenarios: Scenario[] = [
    { name: 'no token', method: 'GET', url: '/api/backups/test1.zip', setup: createTestBackups, status: 403, contains: ['"data":{}'] },
    { name: 'record auth header', method: 'GET', url: '/api/backups/test1.zip', auth: 'user', setup: createTestBackups, status: 403, contains: ['"data":{}'] },
    { name: 'superuser auth header', method: 'GET', url: '/api/backups/test1.zip', auth: 'superuser', setup: createTestBackups, status: 403, contains: ['"data":{}'] },
    { name: 'empty token', method: 'GET', url: '/api/backups/test1.zip?token=', setup: createTestBackups, status: 403, contains: ['"data":{}'] },
    { name: 'record auth token', method: 'GET', url: async () => `/api/backups/test1.zip?token=${userToken}`, setup: createTestBackups, status: 403, contains: ['"data":{}'] },
    { name: 'record file token', method: 'GET', url: async () => `/api/backups/test1.zip?token=${await fileToken(userToken)}`, setup: createTestBackups, status: 403, contains: ['"data":{}'] },
    { name: 'superuser auth token', method: 'GET', url: async () => `/api/backups/test1.zip?token=${t.adminToken}`, setup: createTestBackups, status: 403, contains: ['"data":{}'] },
    { name: 'superuser file token, missing backup', method: 'GET', url: async () => `/api/backups/missing?token=${await superFile()}`, setup: createTestBackups, status: 404, contains: ['"data":{}'] },
    { name: 'superuser file token', method: 'GET', url: async () => `/api/backups/test1.zip?token=${await superFile()}`, setup: createTestBackups, status: 200, contains: ['storage/', 'data.db'] },
    { name: 'superuser file token, escaped key', method: 'GET', url: async () => `/api/backups/%40test4.zip?token=${await superFile()}`, setup: createTestBackups, status: 200, contains: ['data.db'] },
  ];
  for (const s of scenarios) it(s.name, () => run(s));
});

describe('DELETE /api/backups/{key}', () => {
  const scenarios: Scenario[] = [
    { name: 'unauthorized', method: 'DELETE', url: '/api/backups/test1.zip', setup: createTestBackups, status: 401, contains: ['"data":{}'], check: fourBackups },
    { name: 'authorized as regular user', method: 'DELETE', url: '/api/backups/test1.zip', auth: 'user', setup: createTestBackups, status: 403, contains: ['"data":{}'], check: fourBackups },
    { name: 'superuser, missing file', method: 'DELETE', url: '/api/backups/missing.zip', auth: 'superuser', setup: createTestBackups, status: 400, contains: ['"data":{}'], check: fourBackups },
    {
      name: 'superuser, file in use by a running backup',
      method: 'DELETE',
      url: '/api/backups/test5.zip',
      auth: 'superuser',
      setup: async () => {
        await createTestBackups();
        await t.server.backups.createBackup('test5.zip');
        // restore holds `test5.zip` active while the DELETE arrives
        void t.server.backups.restoreBackup('test5.zip');
      },
      status: 400,
      contains: ['"data":{}'],
      check: async () => expect(await keys()).toContain('test5.zip'),
    },
    {
      name: 'superuser, another backup running',
      method: 'DELETE',
      url: '/api/backups/test1.zip',
      auth: 'superuser',
      setup: async () => {
        await createTestBackups();
        busy();
      },
      status: 204,
      check: async () => expect(await keys()).not.toContain('test1.zip'),
    },
    { name: 'superuser, escaped key', method: 'DELETE', url: '/api/backups/%40test4.zip', auth: 'superuser', setup: createTestBackups, status: 204, check: async () => expect(await keys()).toEqual(['test1.zip', 'test2.zip', 'test3.zip']) },
  ];
  for (const s of scenarios) it(s.name, () => run(s));
});

describe('POST /api/backups/{key}/restore', () => {
  const scenarios: Scenario[] = [
    { name: 'unauthorized', method: 'POST', url: '/api/backups/test1.zip/restore', setup: createTestBackups, status: 401, contains: ['"data":{}'] },
    { name: 'authorized as regular user', method: 'POST', url: '/api/backups/test1.zip/restore', auth: 'user', setup: createTestBackups, status: 403, contains: ['"data":{}'] },
    { name: 'superuser, missing file', method: 'POST', url: '/api/backups/missing.zip/restore', auth: 'superuser', setup: createTestBackups, status: 400, contains: ['"data":{}'] },
    {
      name: 'superuser, another backup running',
      method: 'POST',
      url: '/api/backups/test1.zip/restore',
      auth: 'superuser',
      setup: async () => {
        await createTestBackups();
        busy();
      },
      status: 400,
      contains: ['"data":{}'],
    },
  ];
  for (const s of scenarios) it(s.name, () => run(s));

  it('restores the database in the running server: schema, rows and settings return to the backup', async () => {
    await clearBackups();
    const create = await t.api('POST', '/api/collections', { name: 'notes', fields: [{ name: 'text', type: 'text' }], listRule: '' }, t.adminToken);
    expect(create.status).toBe(200);
    await t.api('POST', '/api/collections/notes/records', { text: 'kept' }, t.adminToken);
    await t.server.backups.createBackup('before.zip');
    await t.api('POST', '/api/collections/notes/records', { text: 'after the backup' }, t.adminToken);
    await t.api('POST', '/api/collections', { name: 'later', fields: [] }, t.adminToken);

    const res = await t.api('POST', '/api/backups/before.zip/restore', undefined, t.adminToken);
    expect(res.status).toBe(204);

    const notes = await t.api('GET', '/api/collections/notes/records');
    expect(notes.status).toBe(200);
    expect(notes.body.items.map((r: { text: string }) => r.text)).toEqual(['kept']);
    expect((await t.api('GET', '/api/collections/later', undefined, t.adminToken)).status).toBe(404);
    // writes keep working on the restored file
    expect((await t.api('POST', '/api/collections/notes/records', { text: 'new' }, t.adminToken)).status).toBe(200);
    expect(await keys()).toEqual(['before.zip']);
  });
});

describe('PocketBase SDK pb.backups', () => {
  it('creates, lists, downloads, uploads, restores and deletes', async () => {
    await clearBackups();
    const pb = new PocketBase(t.url);
    pb.autoCancellation(false);
    await pb.collection('_superusers').authWithPassword(ADMIN_EMAIL, ADMIN_PASSWORD);

    expect(await pb.backups.create('sdk.zip')).toBe(true);
    const list = await pb.backups.getFullList();
    expect(list.map((b) => b.key)).toEqual(['sdk.zip']);
    expect(list[0]!.size).toBeGreaterThan(0);
    expect(list[0]!.modified).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$/);

    const url = pb.backups.getDownloadURL(await pb.files.getToken(), 'sdk.zip');
    const download = await fetch(url);
    expect(download.status).toBe(200);
    const bytes = new Uint8Array(await download.arrayBuffer());
    expect(bytes.length).toBe(list[0]!.size);

    expect(await pb.backups.upload({ file: new File([bytes], 'copy.zip', { type: 'application/zip' }) })).toBe(true);
    expect((await pb.backups.getFullList()).map((b) => b.key).sort()).toEqual(['copy.zip', 'sdk.zip']);

    expect(await pb.backups.restore('copy.zip')).toBe(true);
    // the restored database still knows the superuser; its sessions are those of the backup
    await pb.collection('_superusers').authWithPassword(ADMIN_EMAIL, ADMIN_PASSWORD);
    expect(await pb.backups.delete('copy.zip')).toBe(true);
    expect((await pb.backups.getFullList()).map((b) => b.key)).toEqual(['sdk.zip']);
  });
});
