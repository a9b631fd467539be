/**
 * Backups in S3 (`backups.s3` settings, as PocketBase): a real s3rver started by the test. The
 * PocketBase SDK's `pb.backups.*` create, list, download, upload, restore and delete against the
 * bucket; nothing lands in the data dir's backups/ folder; stored files sharing the bucket are
 * never listed as backups; `hearth backup list --dir` reads the same bucket.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type TestServer } from './harness.ts';
import { startS3, type TestS3 } from './s3-server.ts';

let t: TestServer;
let s3: TestS3;
let pb: PocketBase;

beforeAll(async () => {
  t = await startServer();
  s3 = await startS3();
  // Files and backups share the bucket: the backup list must still hold only archives.
  const patched = await t.api('PATCH', '/api/settings', { s3: s3.settings, backups: { s3: s3.settings } }, t.adminToken);
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  pb = new PocketBase(t.url);
  pb.autoCancellation(false);
  await pb.collection('_superusers').authWithPassword(ADMIN_EMAIL, ADMIN_PASSWORD);
  await pb.collections.create({ name: 'notes', type: 'base', fields: [{ name: 'text', type: 'text' }, { name: 'doc', type: 'file', maxSelect: 1, maxSize: 1_000_000 }], listRule: '' });
}, 60_000);
afterAll(async () => {
  await t?.close();
  await s3?.close();
});

const localBackups = () => (existsSync(join(t.dir, 'backups')) ? readdirSync(join(t.dir, 'backups')) : []);
const texts = async () => (await pb.collection('notes').getFullList({ sort: 'created' })).map((r) => r.text);

describe('backups in S3', () => {
  it('pb.backups.* work against the bucket, and nothing is kept in the data dir', async () => {
    const kept = await pb.collection('notes').create({ text: 'kept', doc: new File(['a stored file'], 'doc.txt', { type: 'text/plain' }) });
    expect(await s3.keys(`${kept.collectionId}/`)).toHaveLength(1);

    expect(await pb.backups.create('s3-first.zip')).toBe(true);
    expect(await s3.keys('s3-')).toEqual(['s3-first.zip']);
    expect(localBackups()).toEqual([]);

    const list = await pb.backups.getFullList();
    expect(list.map((b) => b.key)).toEqual(['s3-first.zip']);
    expect(list[0]!.size).toBeGreaterThan(0);
    expect(list[0]!.modified).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$/);

    const download = await fetch(pb.backups.getDownloadURL(await pb.files.getToken(), 's3-first.zip'));
    expect(download.status).toBe(200);
    const bytes = new Uint8Array(await download.arrayBuffer());
    expect(bytes.length).toBe(list[0]!.size);
    expect(Buffer.from(bytes.subarray(0, 2)).toString('latin1')).toBe('PK');

    expect(await pb.backups.upload({ file: new File([bytes], 's3-copy.zip', { type: 'application/zip' }) })).toBe(true);
    expect(await s3.keys('s3-')).toEqual(['s3-copy.zip', 's3-first.zip']);
    expect(localBackups()).toEqual([]);

    await pb.collection('notes').create({ text: 'after the backup' });
    expect(await texts()).toEqual(['kept', 'after the backup']);
    expect(await pb.backups.restore('s3-copy.zip')).toBe(true);
    await pb.collection('_superusers').authWithPassword(ADMIN_EMAIL, ADMIN_PASSWORD);
    expect(await texts()).toEqual(['kept']);

    expect(await pb.backups.delete('s3-copy.zip')).toBe(true);
    expect(await s3.keys('s3-')).toEqual(['s3-first.zip']);
    await expect(pb.backups.delete('s3-copy.zip')).rejects.toMatchObject({ status: 400 });
    await expect(pb.backups.restore('missing.zip')).rejects.toMatchObject({ status: 400 });
  });

  it('`hearth backup list --dir` reads the bucket the settings name', async () => {
    const root = resolve(import.meta.dirname, '../..');
    // Asynchronous: the S3 server runs in this process and must keep answering.
    const child = spawn(process.execPath, [join(root, 'cli/bin/hearth.js'), 'backup', 'list', '--dir', t.dir, '--json'], { cwd: root });
    const r = { stdout: '', stderr: '', status: null as number | null };
    child.stdout.on('data', (d: Buffer) => (r.stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (r.stderr += d.toString()));
    r.status = await new Promise<number | null>((ok) => child.once('exit', ok));
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).map((b: { key: string }) => b.key)).toEqual(['s3-first.zip']);
  });

  it('with backups.s3 disabled again, backups go back to the data dir', async () => {
    const patched = await t.api('PATCH', '/api/settings', { backups: { s3: { ...s3.settings, enabled: false } } }, t.adminToken);
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(await pb.backups.create('local-one.zip')).toBe(true);
    expect(localBackups()).toEqual(['local-one.zip']);
    expect((await pb.backups.getFullList()).map((b) => b.key)).toEqual(['local-one.zip']);
    expect(await s3.keys('local-')).toEqual([]);
  });
});
