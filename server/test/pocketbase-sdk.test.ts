/** The official PocketBase JS SDK, unchanged, against a real Hearth server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import PocketBase, { ClientResponseError } from 'pocketbase';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type TestServer } from './harness.ts';

let t: TestServer;
let pb: PocketBase;

beforeAll(async () => {
  t = await startServer();
  pb = new PocketBase(t.url);
  pb.autoCancellation(false);
});
afterAll(() => t.close());

describe('PocketBase SDK compatibility', () => {
  it('authenticates a superuser', async () => {
    const auth = await pb.collection('_superusers').authWithPassword(ADMIN_EMAIL, ADMIN_PASSWORD);
    expect(auth.token).toBeTypeOf('string');
    expect(auth.record.email).toBe(ADMIN_EMAIL);
    expect(auth.record.password).toBeUndefined();
    expect(auth.record.tokenKey).toBeUndefined();
    expect(pb.authStore.isValid).toBe(true);
    expect(pb.authStore.isSuperuser).toBe(true);
  });

  it('refreshes the superuser token', async () => {
    const before = pb.authStore.token;
    await new Promise((r) => setTimeout(r, 1100)); // exp has 1 s resolution
    const auth = await pb.collection('_superusers').authRefresh();
    expect(auth.token).not.toBe(before);
    expect(pb.authStore.isValid).toBe(true);
  });

  it('creates and updates collections', async () => {
    const authors = await pb.collections.create({
      name: 'authors',
      type: 'base',
      fields: [{ name: 'name', type: 'text', required: true }],
      listRule: '',
      viewRule: '',
    });
    expect(authors.id).toBeTypeOf('string');
    const posts = await pb.collections.create({
      name: 'posts',
      type: 'base',
      fields: [
        { name: 'title', type: 'text', required: true, max: 100 },
        { name: 'views', type: 'number' },
        { name: 'tags', type: 'select', values: ['a', 'b', 'c'], maxSelect: 3 },
        { name: 'author', type: 'relation', collectionId: authors.id, maxSelect: 1 },
      ],
      indexes: ['CREATE INDEX idx_posts_views ON posts (views)'],
      listRule: '',
      viewRule: '',
      createRule: '',
      updateRule: '',
      deleteRule: '',
    });
    expect(posts.fields.map((f: { name: string }) => f.name)).toEqual(
      expect.arrayContaining(['id', 'title', 'views', 'tags', 'author', 'created', 'updated']),
    );
    const updated = await pb.collections.update('posts', {
      fields: [...posts.fields, { name: 'body', type: 'editor' }],
    });
    expect(updated.fields.some((f: { name: string }) => f.name === 'body')).toBe(true);
    const list = await pb.collections.getFullList();
    expect(list.map((c) => c.name)).toEqual(expect.arrayContaining(['authors', 'posts', 'users', '_superusers']));
  });

  it('does record CRUD with filter, sort, expand, fields and skipTotal', async () => {
    const ann = await pb.collection('authors').create({ name: 'Ann' });
    const bob = await pb.collection('authors').create({ name: 'Bob' });
    for (let i = 1; i <= 12; i++) {
      await pb.collection('posts').create({ title: `Post ${i}`, views: i * 10, tags: i % 2 ? ['a'] : ['b', 'c'], author: i % 3 ? ann.id : bob.id });
    }
    const page = await pb.collection('posts').getList(1, 5, { filter: 'views >= 50', sort: '-views', expand: 'author' });
    expect(page.totalItems).toBe(8);
    expect(page.totalPages).toBe(2);
    expect(page.items.map((p) => p.views)).toEqual([120, 110, 100, 90, 80]);
    expect(page.items[0]!.expand?.author?.name).toBe('Bob');

    const skip = await pb.collection('posts').getList(2, 5, { sort: 'views', skipTotal: true });
    expect(skip.totalItems).toBe(-1);
    expect(skip.totalPages).toBe(-1);
    expect(skip.items.map((p) => p.views)).toEqual([60, 70, 80, 90, 100]);

    const fields = await pb.collection('posts').getList(1, 2, { sort: 'views', fields: 'id,title,expand.author.name', expand: 'author' });
    expect(Object.keys(fields.items[0]!).sort()).toEqual(['expand', 'id', 'title']);
    expect(fields.items[0]!.expand).toEqual({ author: { name: 'Ann' } });

    const anyTag = await pb.collection('posts').getFullList({ filter: "tags ?= 'c'", sort: 'views' });
    expect(anyTag).toHaveLength(6);

    const byRelation = await pb.collection('posts').getFullList({ filter: pb.filter('author.name = {:n}', { n: 'Bob' }) });
    expect(byRelation).toHaveLength(4);

    const first = await pb.collection('posts').getFirstListItem(pb.filter('title = {:t}', { t: 'Post 7' }));
    expect(first.views).toBe(70);
    const one = await pb.collection('posts').getOne(first.id, { expand: 'author' });
    expect(one.expand?.author?.id).toBe(ann.id);

    await expect(pb.collection('posts').getFirstListItem(pb.filter('title = {:t}', { t: "nope' || 1=1 --" }))).rejects.toMatchObject({
      status: 404,
    });
  });

  it('getFullList pages through everything', async () => {
    const all = await pb.collection('posts').getFullList({ batch: 5, sort: 'views' });
    expect(all).toHaveLength(12);
  });

  it('updates with modifiers and deletes', async () => {
    const post = await pb.collection('posts').getFirstListItem('views = 10');
    const upd = await pb.collection('posts').update(post.id, { 'views+': 5, 'tags+': 'c', title: 'Renamed' });
    expect(upd.views).toBe(15);
    expect(upd.tags).toEqual(['a', 'c']);
    expect(upd.title).toBe('Renamed');
    const upd2 = await pb.collection('posts').update(post.id, { 'views-': 3, 'tags-': ['a'] });
    expect(upd2.views).toBe(12);
    expect(upd2.tags).toEqual(['c']);
    await pb.collection('posts').delete(post.id);
    const err = await pb.collection('posts').getOne(post.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientResponseError);
    expect((err as ClientResponseError).status).toBe(404);
  });

  it('reports field validation errors in data', async () => {
    const err = (await pb.collection('posts').create({ title: '', views: 'many' }).catch((e: unknown) => e)) as ClientResponseError;
    expect(err.status).toBe(400);
    expect(err.response.data.title.code).toBe('validation_required');
    expect(err.response.data.views.code).toBeTypeOf('string');
  });

  it('runs a batch atomically', async () => {
    const before = (await pb.collection('posts').getList(1, 1)).totalItems;
    const ok = pb.createBatch();
    ok.collection('posts').create({ title: 'B1' });
    ok.collection('posts').create({ title: 'B2' });
    const res = await ok.send();
    expect(res.map((r) => r.status)).toEqual([200, 200]);
    const bad = pb.createBatch();
    bad.collection('posts').create({ title: 'B3' });
    bad.collection('posts').create({ title: '' });
    const err = (await bad.send().catch((e: unknown) => e)) as ClientResponseError;
    expect(err.status).toBe(400);
    expect((await pb.collection('posts').getList(1, 1)).totalItems).toBe(before + 2);
  });
});
