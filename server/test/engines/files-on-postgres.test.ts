/**
 * Files on a node on PostgreSQL: without S3 settings an upload is refused with a 400 that says
 * why (a node's disk is not shared) and nothing is written — no record, no staged file left;
 * with S3 (a real s3rver) uploads, protected downloads with file tokens and thumbnails work, the
 * blobs in the bucket — and a second node on the database serves them too.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../../../test-support/postgres.ts';
import { FILES_ON_POSTGRES } from '../../src/start/postgres-refusals.ts';
import { startS3, type TestS3 } from '../s3-server.ts';
import { describeImage, twoToneImage } from '../files-fixture.ts';
import { START_TIMEOUT } from './both-engines.ts';
import { nodeApi, pgNodes } from './pg-nodes.ts';

const PASSWORD = 'correct horse battery';

let pg: TestPostgres;
let s3: TestS3;
const nodes = pgNodes('pgfiles');
let a = '';
let admin = '';
let alice = '';
let aliceId = '';
let png: Buffer;

async function node(url: string): Promise<string> {
  return (await nodes.start(url)).url;
}

const api = nodeApi;

/** A multipart create of an album by alice: a photo and a protected secret. */
async function upload(base: string): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.append('title', 'trip');
  form.append('owner', aliceId);
  form.append('photo', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'photo.png');
  form.append('secret', new Blob(['top secret'], { type: 'text/plain' }), 'secret.txt');
  const res = await fetch(`${base}/api/collections/albums/records`, { method: 'POST', headers: { authorization: alice }, body: form });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  pg = await startPostgres();
  s3 = await startS3();
  png = await twoToneImage();
  a = await node(await pg.createDatabase('files_on_pg'));
  expect((await api(a, 'POST', '/api/install', { email: 'root@example.com', password: PASSWORD, passwordConfirm: PASSWORD })).status).toBeLessThan(300);
  admin = (await api(a, 'POST', '/api/collections/_superusers/auth-with-password', { identity: 'root@example.com', password: PASSWORD })).body.token;
  const user = await api(a, 'POST', '/api/collections/users/records', { email: 'alice@example.com', password: PASSWORD, passwordConfirm: PASSWORD });
  aliceId = user.body.id;
  alice = (await api(a, 'POST', '/api/collections/users/auth-with-password', { identity: 'alice@example.com', password: PASSWORD })).body.token;
  const albums = await api(a, 'POST', '/api/collections', {
    name: 'albums',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'owner', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 },
      { name: 'photo', type: 'file', maxSelect: 1, maxSize: 1_000_000, thumbs: ['70x50'] },
      { name: 'secret', type: 'file', maxSelect: 1, maxSize: 1_000_000, protected: true },
    ],
    listRule: 'owner = @request.auth.id',
    viewRule: 'owner = @request.auth.id',
    createRule: 'owner = @request.auth.id',
  }, admin);
  expect(albums.status, JSON.stringify(albums.body)).toBe(200);
}, START_TIMEOUT);

afterAll(async () => {
  await nodes.closeAll();
  await s3?.close();
  await pg?.stop();
});

describe('files on PostgreSQL', { timeout: 120_000 }, () => {
  it('refuses uploads with a 400 until S3 is configured, writing nothing', async () => {
    const refused = await upload(a);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ status: 400, message: FILES_ON_POSTGRES, data: {} });
    expect((await api(a, 'GET', '/api/collections/albums/records', undefined, admin)).body.totalItems).toBe(0);
    const dir = nodes.list[0]!.dir;
    expect(readdirSync(dir)).not.toContain('storage');
    expect(readdirSync(join(dir, '.uploads'))).toEqual([]);
    // A record without files is still written.
    expect((await api(a, 'POST', '/api/collections/albums/records', { title: 'no files', owner: aliceId }, alice)).status).toBe(200);
  });

  it('with S3: uploads, protected downloads and thumbs, on this node and another', async () => {
    expect((await api(a, 'PATCH', '/api/settings', { s3: s3.settings }, admin)).status).toBe(200);
    const made = await upload(a);
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    const { id, photo, secret } = made.body as { id: string; photo: string; secret: string };
    const prefix = `${made.body.collectionId}/${id}/`;
    expect(await s3.keys(prefix)).toEqual([prefix + photo, prefix + secret].sort());

    const b = await node(nodes.list[0]!.server.config.db);
    for (const base of [a, b]) {
      const original = await fetch(`${base}/api/files/albums/${id}/${photo}`);
      expect(original.status).toBe(200);
      expect(Buffer.from(await original.arrayBuffer()).equals(png)).toBe(true);
      const thumb = await fetch(`${base}/api/files/albums/${id}/${photo}?thumb=70x50`);
      expect(thumb.status).toBe(200);
      expect(await describeImage(Buffer.from(await thumb.arrayBuffer()))).toEqual({ width: 70, height: 50, top: 'red', bottom: 'blue' });
      expect((await fetch(`${base}/api/files/albums/${id}/${secret}`)).status).toBe(404);
      const token = (await api(base, 'POST', '/api/files/token', undefined, alice)).body.token as string;
      const guarded = await fetch(`${base}/api/files/albums/${id}/${secret}?token=${token}`);
      expect(guarded.status).toBe(200);
      expect(await guarded.text()).toBe('top secret');
    }
    expect(await s3.keys(`${prefix}thumbs_${photo}/`)).toEqual([`${prefix}thumbs_${photo}/70x50_${photo}`]);
    // Nothing of it on either node's disk.
    for (const n of nodes.list) expect(readdirSync(n.dir)).not.toContain('storage');
  });
});
