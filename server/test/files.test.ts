/**
 * Files end to end, on both storage drivers (local disk and a real S3 server): uploads through
 * the official PocketBase SDK and raw multipart, thumbnails checked by decoding them, protected
 * downloads with file tokens and viewRules, replace / `files-` / clear / delete with the blobs
 * following, and no orphan when a write fails.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import PocketBase from 'pocketbase';
import { describeDrivers, describeImage, MB, startFilesWorld, storedName, twoToneImage, type FilesWorld } from './files-fixture.ts';

describeDrivers('files on %s storage', (driver) => {
  let w: FilesWorld;
  let alice: PocketBase;
  let bob: PocketBase;
  let png: Buffer;
  const prefixOf = (id: string) => `${w.albumsId}/${id}/`;
  const albums = () => alice.collection('albums');

  beforeAll(async () => {
    w = await startFilesWorld(driver);
    alice = new PocketBase(w.t.url);
    alice.autoCancellation(false);
    alice.authStore.save(w.tokens.alice, null);
    bob = new PocketBase(w.t.url);
    bob.autoCancellation(false);
    bob.authStore.save(w.tokens.bob, null);
    png = await twoToneImage();
  });
  afterAll(() => w.close());

  const create = (extra: Record<string, unknown> = {}) =>
    albums().create({ title: 'trip', owner: w.users.alice, photo: new Blob([new Uint8Array(png)], { type: 'image/png' }), ...extra });

  it('uploads through the PocketBase SDK and serves the bytes back', async () => {
    const form = new FormData();
    form.append('title', 'holiday');
    form.append('owner', w.users.alice);
    form.append('photo', new Blob([new Uint8Array(png)]), 'My Holiday Photo.PNG');
    form.append('attachments', new Blob(['first notes']), 'notes.txt');
    form.append('attachments', new Blob(['second']), 'second.txt');
    const rec = await albums().create(form);
    expect(rec.photo).toMatch(storedName('my_holiday_photo', 'png'));
    expect(rec.attachments).toHaveLength(2);
    expect(rec.attachments[0]).toMatch(storedName('notes', 'txt'));
    const res = await fetch(alice.files.getURL(rec, rec.photo));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-disposition')).toBe(`inline; filename=${rec.photo}`);
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);
    expect(await fetch(alice.files.getURL(rec, rec.attachments[1])).then((r) => r.text())).toBe('second');
    expect(await w.blobs(prefixOf(rec.id))).toEqual([rec.photo, ...rec.attachments].map((n: string) => prefixOf(rec.id) + n).sort());
  });

  it('makes every thumb form, checked by decoding the image', async () => {
    const rec = await create();
    const cases: Array<[string, number, number, string, string]> = [
      ['70x50', 70, 50, 'red', 'blue'],
      ['70x50t', 70, 50, 'red', 'red'],
      ['70x50b', 70, 50, 'blue', 'blue'],
      ['70x50f', 33, 50, 'red', 'blue'],
      ['0x50', 33, 50, 'red', 'blue'],
      ['70x0', 70, 105, 'red', 'blue'],
      ['100x100', 100, 100, 'red', 'blue'], // PocketBase's default size works on every field
    ];
    for (const [thumb, width, height, top, bottom] of cases) {
      const res = await fetch(alice.files.getURL(rec, rec.photo, { thumb }));
      expect(res.status, thumb).toBe(200);
      expect(res.headers.get('content-disposition'), thumb).toBe(`inline; filename=${thumb}_${rec.photo}`);
      const img = await describeImage(Buffer.from(await res.arrayBuffer()));
      expect(img, thumb).toEqual({ width, height, top, bottom });
    }
    const keys = await w.blobs(`${prefixOf(rec.id)}thumbs_${rec.photo}/`);
    expect(keys).toHaveLength(cases.length);
  });

  it('serves the original for a thumb size off the list, or for a non-image', async () => {
    const rec = await create({ attachments: [new Blob(['plain text'], { type: 'text/plain' })] });
    const off = await fetch(alice.files.getURL(rec, rec.photo, { thumb: '999x999' }));
    expect(Buffer.from(await off.arrayBuffer()).equals(png)).toBe(true);
    const text = await fetch(alice.files.getURL(rec, rec.attachments[0], { thumb: '100x100' }));
    expect(await text.text()).toBe('plain text');
    expect(await w.blobs(`${prefixOf(rec.id)}thumbs_`)).toEqual([]);
  });

  it('generates a thumb once for concurrent first requests', async () => {
    const rec = await create();
    const before = w.t.server.files.thumbs.stats.generated;
    const url = alice.files.getURL(rec, rec.photo, { thumb: '70x50t' });
    const bodies = await Promise.all(Array.from({ length: 6 }, () => fetch(url).then(async (r) => Buffer.from(await r.arrayBuffer()))));
    expect(w.t.server.files.thumbs.stats.generated - before).toBe(1);
    for (const b of bodies) expect(b.equals(bodies[0]!)).toBe(true);
    expect((await describeImage(bodies[0]!)).width).toBe(70);
  });

  it('protects files: a file token of a user the viewRule admits, nobody else', async () => {
    const rec = await create({ secret: new Blob(['top secret'], { type: 'text/plain' }) });
    const url = (token?: string) => alice.files.getURL(rec, rec.secret, token ? { token } : {});
    expect((await fetch(url())).status).toBe(404);
    const aliceToken = await alice.files.getToken();
    const mine = await fetch(url(aliceToken));
    expect(mine.status).toBe(200);
    expect(await mine.text()).toBe('top secret');
    expect((await fetch(url(await bob.files.getToken()))).status).toBe(404);
    const suToken = (await w.t.api('POST', '/api/files/token', undefined, w.tokens.super)).body.token;
    expect((await fetch(url(suToken))).status).toBe(200);
    // An auth token is not a file token, and the unprotected photo stays public to its URL.
    expect((await fetch(url(w.tokens.alice))).status).toBe(404);
    expect((await fetch(alice.files.getURL(rec, rec.photo))).status).toBe(200);
    expect((await w.t.api('POST', '/api/files/token')).status).toBe(401);
  });

  it('replaces a file: the old blob (and its thumbs) is deleted after commit', async () => {
    const rec = await create();
    await fetch(alice.files.getURL(rec, rec.photo, { thumb: '70x50' }));
    const next = await albums().update(rec.id, { photo: new Blob([new Uint8Array(await twoToneImage("jpeg"))]) });
    expect(next.photo).not.toBe(rec.photo);
    expect(next.photo).toMatch(/\.jpg$/);
    expect(await w.blobs(prefixOf(rec.id))).toEqual([prefixOf(rec.id) + next.photo]);
    expect((await fetch(alice.files.getURL(rec, rec.photo))).status).toBe(404);
    const served = await fetch(alice.files.getURL(next, next.photo));
    expect(served.headers.get('content-type')).toBe('image/jpeg');
  });

  it('adds with files+, removes with files- by name, clears with an empty value', async () => {
    const rec = await create({ attachments: [new Blob(['a']), new Blob(['b'])] });
    const [a, b] = rec.attachments as string[];
    const added = await albums().update(rec.id, { 'attachments+': new Blob(['c']) });
    expect(added.attachments.slice(0, 2)).toEqual([a, b]);
    expect(added.attachments).toHaveLength(3);
    const removed = await albums().update(rec.id, { 'attachments-': [a] });
    expect(removed.attachments).toEqual([b, added.attachments[2]]);
    expect(await w.blobs(prefixOf(rec.id) + a)).toEqual([]);
    expect(await w.blobs(prefixOf(rec.id) + b)).toHaveLength(1);
    const cleared = await albums().update(rec.id, { attachments: [], photo: '' });
    expect(cleared).toMatchObject({ attachments: [], photo: '' });
    expect(await w.blobs(prefixOf(rec.id))).toEqual([]);
  });

  it('refuses names the record does not have (no pointing at other files), as PocketBase', async () => {
    const other = await create();
    const rec = await create();
    const err = await albums().update(rec.id, { photo: other.photo, attachments: ['../../data.db', other.photo] }).catch((e: { status: number; response: { data: unknown } }) => e);
    expect(err).toMatchObject({ status: 400, response: { data: { photo: { code: 'validation_invalid_file' }, attachments: { code: 'validation_invalid_file' } } } });
    expect((await albums().getOne(rec.id)).photo).toBe(rec.photo);
    expect(await w.blobs(prefixOf(other.id))).toEqual([prefixOf(other.id) + other.photo]);
  });

  it('deletes the blobs with the record', async () => {
    const rec = await create({ attachments: [new Blob(['x'])], secret: new Blob(['s']) });
    await fetch(alice.files.getURL(rec, rec.photo, { thumb: '70x50' }));
    expect((await w.blobs(prefixOf(rec.id))).length).toBe(4);
    await albums().delete(rec.id);
    expect(await w.blobs(prefixOf(rec.id))).toEqual([]);
  });

  it('a failed write stores nothing and deletes nothing', async () => {
    const before = await w.blobs();
    // bob may not create albums owned by alice: the createRule fails inside the transaction
    await expect(bob.collection('albums').create({ owner: w.users.alice, photo: new Blob([new Uint8Array(png)]) })).rejects.toMatchObject({ status: 400 });
    expect(await w.blobs()).toEqual(before);
    const rec = await create();
    const all = await w.blobs();
    // a validation failure next to a valid replacement keeps the old file and adds none
    await expect(albums().update(rec.id, { title: 'x'.repeat(51), photo: new Blob([new Uint8Array(png)]) })).rejects.toMatchObject({ status: 400 });
    expect(await w.blobs()).toEqual(all);
    expect((await albums().getOne(rec.id)).photo).toBe(rec.photo);
    // a batch whose second item fails leaves no blob of its first
    const batch = alice.createBatch();
    batch.collection('albums').create({ owner: w.users.alice, photo: new Blob([new Uint8Array(png)]) });
    batch.collection('albums').create({ owner: w.users.bob, photo: new Blob([new Uint8Array(png)]) });
    await expect(batch.send()).rejects.toMatchObject({ status: 400 });
    expect(await w.blobs()).toEqual(all);
  });

  it('uploads in a batch through the SDK', async () => {
    const batch = alice.createBatch();
    batch.collection('albums').create({ title: 'b1', owner: w.users.alice, photo: new Blob([new Uint8Array(png)]) });
    batch.collection('albums').create({ title: 'b2', owner: w.users.alice, attachments: [new Blob(['1']), new Blob(['2'])] });
    const [r1, r2] = await batch.send();
    expect(r1!.status).toBe(200);
    expect(r1!.body.photo).toMatch(/\.png$/);
    expect(r2!.body.attachments).toHaveLength(2);
    expect(await w.blobs(prefixOf(r2!.body.id))).toHaveLength(2);
  });

  it('checks size and type against the field', async () => {
    const big = await albums().create({ owner: w.users.alice, attachments: [new Blob([new Uint8Array(MB + 1).fill(1)])] }).catch((e) => e);
    expect(big.status).toBe(400);
    expect(big.response.data.attachments.code).toBe('validation_file_size_limit');
    const notImage = await albums().create({ owner: w.users.alice, photo: new Blob(['<html>not an image</html>'], { type: 'image/png' }) }).catch((e) => e);
    expect(notImage.status).toBe(400);
    expect(notImage.response.data.photo.code).toBe('validation_invalid_mime_type');
    const tooMany = await albums().create({ owner: w.users.alice, attachments: Array.from({ length: 6 }, (_, i) => new Blob([String(i)])) }).catch((e) => e);
    expect(tooMany.status).toBe(400);
    expect(tooMany.response.data.attachments.code).toBe('validation_too_many_values');
  });

  it('answers ETag/If-None-Match, Range and ?download=1', async () => {
    const rec = await create({ attachments: [new Blob(['0123456789'])] });
    const url = alice.files.getURL(rec, rec.attachments[0]);
    const full = await fetch(url);
    const etag = full.headers.get('etag')!;
    expect(etag).toMatch(/^"/);
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    expect((await fetch(url, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const part = await fetch(url, { headers: { range: 'bytes=2-5' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 2-5/10');
    expect(await part.text()).toBe('2345');
    const tail = await fetch(url, { headers: { range: 'bytes=-3' } });
    expect(await tail.text()).toBe('789');
    expect((await fetch(url, { headers: { range: 'bytes=20-' } })).status).toBe(416);
    const dl = await fetch(alice.files.getURL(rec, rec.photo, { download: true }));
    expect(dl.headers.get('content-disposition')).toBe(`attachment; filename=${rec.photo}`);
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('10');
  });

  it('expand and fields= carry file names like any other field', async () => {
    const rec = await create();
    const only = await albums().getOne(rec.id, { fields: 'photo' });
    expect(only).toEqual({ photo: rec.photo });
  });
});
