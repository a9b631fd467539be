/** Record CRUD through the SDK against a real server: every method, expand, fields, modifiers, batch, multipart. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filter, HearthError } from '../src/index.ts';
import { createFixtureCollections, startHearth, type TestHearth } from './harness.ts';

let t: TestHearth;
let userId: string;

beforeAll(async () => {
  t = await startHearth();
  await createFixtureCollections(t.admin);
  const user = await t.admin.collection('users').create({ email: 'ann@example.com', password: 'password123', passwordConfirm: 'password123', name: 'Ann' });
  userId = user.id;
});
afterAll(() => t.close());

describe('collection service', () => {
  it('caches one service per collection name', () => {
    expect(t.admin.collection('posts')).toBe(t.admin.collection('posts'));
    expect(t.admin.collection('posts')).not.toBe(t.admin.collection('tags'));
    expect(t.admin.auth('users')).toBe(t.admin.auth('users'));
  });

  it('creates, gets, updates and deletes with system fields', async () => {
    const posts = t.admin.collection('posts');
    const p = await posts.create({ title: 'Hello', views: 1, status: 'draft', labels: ['news'], meta: { a: [1] } });
    expect(p).toMatchObject({ collectionName: 'posts', title: 'Hello', views: 1, status: 'draft', labels: ['news'], meta: { a: [1] } });
    expect(p.id).toMatch(/^[a-z0-9]{15}$/);
    expect(p.created).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(await posts.get(p.id)).toEqual(p);
    const u = await posts.update(p.id, { title: 'Hello again', status: 'published' });
    expect(u).toMatchObject({ id: p.id, title: 'Hello again', status: 'published', views: 1 });
    await posts.delete(p.id);
    await expect(posts.get(p.id)).rejects.toMatchObject({ status: 404 });
  });

  it('accepts a client-chosen id', async () => {
    const p = await t.admin.collection('tags').create({ id: 'mytag0000000001', name: 'mine' });
    expect(p.id).toBe('mytag0000000001');
  });

  it('applies PocketBase modifiers', async () => {
    const posts = t.admin.collection('posts');
    const p = await posts.create({ title: 'mods', views: 10, labels: ['news'] });
    const u = await posts.update(p.id, { 'views+': 5, 'labels+': ['tech', 'fun'] });
    expect(u).toMatchObject({ views: 15, labels: ['news', 'tech', 'fun'] });
    const v = await posts.update(p.id, { 'views-': 3, 'labels-': 'tech', '+labels': 'tech' });
    expect(v).toMatchObject({ views: 12, labels: ['tech', 'news', 'fun'] });
  });

  it('lists with page, perPage, sort, filter and skipTotal', async () => {
    const tags = t.admin.collection('tags');
    for (let i = 0; i < 7; i++) await tags.create({ name: `list-${i}` });
    const page = await tags.list({ page: 2, perPage: 3, sort: '-name', filter: filter`name ~ ${'list-'}` });
    expect(page).toMatchObject({ page: 2, perPage: 3, totalItems: 7, totalPages: 3 });
    expect(page.items.map((x) => x.name)).toEqual(['list-3', 'list-2', 'list-1']);
    const fast = await tags.list({ perPage: 2, skipTotal: true, filter: 'name ~ "list-"' });
    expect(fast).toMatchObject({ totalItems: -1, totalPages: -1 });
    expect(fast.items).toHaveLength(2);
  });

  it('listAll reads every page (and stops on a short page)', async () => {
    const tags = t.admin.collection('tags');
    const created = [];
    for (let i = 0; i < 12; i++) created.push(await tags.create({ name: `all-${String(i).padStart(2, '0')}` }));
    const all = await tags.listAll({ filter: 'name ~ "all-"', sort: 'name', batch: 5 });
    expect(all.map((x) => x.id)).toEqual(created.map((x) => x.id));
    expect(await tags.listAll({ filter: 'name = "none at all"' })).toEqual([]);
  });

  it('first returns the first match or rejects with 404', async () => {
    const tags = t.admin.collection('tags');
    await tags.create({ name: 'firstie' });
    expect((await tags.first(filter`name = ${'firstie'}`)).name).toBe('firstie');
    const err = await tags.first(filter`name = ${'missing'}`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HearthError);
    expect(err).toMatchObject({ status: 404 });
  });

  it('expands relations (forward, multi, back, nested) and narrows fields', async () => {
    const tag = await t.admin.collection('tags').create({ name: 'exp' });
    const post = await t.admin.collection('posts').create({ title: 'E', author: userId, tags: [tag.id] });
    await t.admin.collection('comments').create({ text: 'c1', post: post.id, author: userId });
    const got = await t.admin.collection('posts').get(post.id, { expand: 'author,tags,comments_via_post.author' });
    expect(got.expand?.author?.name).toBe('Ann');
    expect(got.expand?.tags?.map((x) => x.name)).toEqual(['exp']);
    expect(got.expand?.comments_via_post?.[0]?.expand?.author?.id).toBe(userId);
    const slim = await t.admin.collection('posts').get(post.id, { fields: 'id,title' });
    expect(slim).toEqual({ id: post.id, title: 'E' });
    const listed = await t.admin.collection('comments').list({ filter: filter`post = ${post.id}`, expand: 'post', fields: 'text,expand.post.title' });
    expect(listed.items).toEqual([{ text: 'c1', expand: { post: { title: 'E' } } }]);
    const created = await t.admin.collection('comments').create({ text: 'c2', post: post.id }, { expand: 'post' });
    expect(created.expand?.post?.title).toBe('E');
  });

  it('sends File/Blob values as multipart with a @jsonPayload part', async () => {
    // `attachment` is not a field: the server ignores that part, so this checks the encoding on its own.
    const tag = await t.admin.collection('tags').create({ name: 'multipart "quoted"', attachment: new Blob(['x']) } as never);
    expect(tag.name).toBe('multipart "quoted"');
  });

  it('uploads files into file fields', async () => {
    const posts = t.admin.collection('posts');
    const file = new File(['hello file'], 'hello.txt', { type: 'text/plain' });
    const res = await posts.create({ title: 'with file', cover: file }).catch((e: HearthError) => e);
    if (res instanceof HearthError) throw res;
    expect(res.cover).toMatch(/^hello.*\.txt$/);
    const body = await fetch(t.admin.fileUrl(res, res.cover)).then((r) => r.text());
    expect(body).toBe('hello file');
    const download = await fetch(t.admin.getFileUrl(res, res.cover, { download: true }));
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename=${res.cover}`);
  });
});

describe('batch', () => {
  it('runs creates, updates, upserts and deletes in one transaction', async () => {
    const existing = await t.admin.collection('tags').create({ name: 'batch-old' });
    const doomed = await t.admin.collection('tags').create({ name: 'batch-doomed' });
    const batch = t.admin.batch();
    batch.collection('tags').create({ name: 'batch-new' });
    batch.collection('tags').update(existing.id, { name: 'batch-renamed' });
    batch.collection('tags').upsert({ id: 'batchupsert0001', name: 'batch-upserted' });
    batch.collection('tags').delete(doomed.id);
    batch.collection('posts').create({ title: 'batch post', views: 2 }, { fields: 'title,views' });
    const results = await batch.send();
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 204, 200]);
    expect(results[1]!.body).toMatchObject({ id: existing.id, name: 'batch-renamed' });
    expect(results[4]!.body).toEqual({ title: 'batch post', views: 2 });
    expect((await t.admin.collection('tags').get('batchupsert0001')).name).toBe('batch-upserted');
    await expect(t.admin.collection('tags').get(doomed.id)).rejects.toMatchObject({ status: 404 });
  });

  it('is all or nothing: one failure rejects and writes nothing', async () => {
    const batch = t.admin.batch();
    batch.collection('tags').create({ name: 'never-written' });
    batch.collection('posts').create({ views: 1 }); // title is required
    const err = (await batch.send().catch((e: unknown) => e)) as HearthError;
    expect(err).toBeInstanceOf(HearthError);
    expect(err.status).toBe(400);
    expect(err.data.requests).toMatchObject({ 1: { code: 'batch_request_failed' } });
    expect(await t.admin.collection('tags').listAll({ filter: 'name = "never-written"' })).toEqual([]);
  });

  it('sends files in a batch as requests.N.field parts', async () => {
    const batch = t.admin.batch();
    batch.collection('tags').create({ name: 'batch-multipart', attachment: new Blob(['x']) } as never);
    const [res] = await batch.send();
    expect(res).toMatchObject({ status: 200, body: { name: 'batch-multipart' } });
  });
});
