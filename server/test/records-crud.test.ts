/** Records over HTTP: relations and cascades, back-relations, views, schema changes that fail. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './harness.ts';
import { scalar, schemaSnapshot } from './engine-state.ts';
import { anonymousRequest } from '../src/rules/index.ts';

let t: TestServer;
let postsId: string;
const q = encodeURIComponent;
const admin = () => t.adminToken;

beforeAll(async () => {
  t = await startServer();
  const posts = await t.api('POST', '/api/collections', { name: 'posts', fields: [{ name: 'title', type: 'text' }], listRule: '', viewRule: '' }, admin());
  postsId = posts.body.id;
  const comments = await t.api(
    'POST',
    '/api/collections',
    {
      name: 'comments',
      fields: [
        { name: 'text', type: 'text' },
        { name: 'post', type: 'relation', collectionId: postsId, maxSelect: 1, cascadeDelete: true },
      ],
      listRule: '',
      viewRule: '',
    },
    admin(),
  );
  expect(comments.status, JSON.stringify(comments.body)).toBe(200);
  const pins = await t.api(
    'POST',
    '/api/collections',
    { name: 'pins', fields: [{ name: 'post', type: 'relation', collectionId: postsId, maxSelect: 1, required: true }] },
    admin(),
  );
  expect(pins.status, JSON.stringify(pins.body)).toBe(200);
  const lists = await t.api(
    'POST',
    '/api/collections',
    { name: 'lists', fields: [{ name: 'posts', type: 'relation', collectionId: postsId, maxSelect: 10 }] },
    admin(),
  );
  expect(lists.status, JSON.stringify(lists.body)).toBe(200);
});
afterAll(() => t.close());

async function create(collection: string, body: object) {
  const res = await t.api('POST', `/api/collections/${collection}/records`, body, admin());
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

describe('records', () => {
  it('returns PocketBase-shaped records with system fields', async () => {
    const p = await create('posts', { title: 'Hello' });
    expect(p).toMatchObject({ collectionId: postsId, collectionName: 'posts', title: 'Hello' });
    expect(p.id).toMatch(/^[a-z0-9]{15}$/);
    expect(p.created).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(p.updated).toBe(p.created);
  });

  it('accepts a client-chosen id and refuses a duplicate', async () => {
    const p = await create('posts', { id: 'myownid12345678', title: 'Mine' });
    expect(p.id).toBe('myownid12345678');
    const dup = await t.api('POST', '/api/collections/posts/records', { id: 'myownid12345678', title: 'Again' }, admin());
    expect(dup.status).toBe(400);
    expect(dup.body.data.id.code).toBe('validation_not_unique');
  });

  it('expands back-relations and nested relations without losing order', async () => {
    const p = await create('posts', { title: 'With comments' });
    await create('comments', { text: 'c1', post: p.id });
    await create('comments', { text: 'c2', post: p.id });
    const res = await t.api('GET', `/api/collections/posts/records/${p.id}?expand=${q('comments_via_post')}`);
    expect(res.body.expand.comments_via_post.map((c: { text: string }) => c.text).sort()).toEqual(['c1', 'c2']);
    const list = await t.api('GET', `/api/collections/comments/records?expand=post&filter=${q(`post = "${p.id}"`)}&sort=text`);
    expect(list.body.items.map((c: any) => c.expand.post.title)).toEqual(['With comments', 'With comments']);
    const back = await t.api('GET', `/api/collections/posts/records?filter=${q('comments_via_post.text ?= "c2"')}`);
    expect(back.body.items.map((x: any) => x.id)).toEqual([p.id]);
  });

  it('cascades deletes, clears optional multi references, and blocks on required ones', async () => {
    const p = await create('posts', { title: 'Doomed' });
    const c = await create('comments', { text: 'bye', post: p.id });
    const other = await create('posts', { title: 'Keeper' });
    const l = await create('lists', { posts: [p.id, other.id] });
    const pin = await create('pins', { post: p.id });
    const blocked = await t.api('DELETE', `/api/collections/posts/records/${p.id}`, undefined, admin());
    expect(blocked.status).toBe(400);
    expect((await t.api('GET', `/api/collections/comments/records/${c.id}`)).status).toBe(200);
    expect((await t.api('DELETE', `/api/collections/pins/records/${pin.id}`, undefined, admin())).status).toBe(204);
    expect((await t.api('DELETE', `/api/collections/posts/records/${p.id}`, undefined, admin())).status).toBe(204);
    expect((await t.api('GET', `/api/collections/comments/records/${c.id}`)).status).toBe(404);
    const list = await t.api('GET', `/api/collections/lists/records/${l.id}`, undefined, admin());
    expect(list.body.posts).toEqual([other.id]);
  });

  it('records every change in the change log, in order', async () => {
    const seqs = await t.server.engine.all<{ seq: number; action: string }>('SELECT seq, action FROM _changes ORDER BY seq');
    expect(seqs.length).toBeGreaterThan(5);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]!.seq).toBeGreaterThan(seqs[i - 1]!.seq);
    expect(new Set(seqs.map((s) => s.action))).toEqual(new Set(['create', 'update', 'delete']));
  });

  it('writes begun together each succeed or fail alone (a refused one undoes only its own row)', async () => {
    const notes = await t.api('POST', '/api/collections', { name: 'notes', fields: [{ name: 'title', type: 'text' }], createRule: "title != 'refused'" }, admin());
    expect(notes.status, JSON.stringify(notes.body)).toBe(200);
    const info = anonymousRequest('POST');
    // Called in one turn: on SQLite they share one transaction, each in its own savepoint.
    const results = await Promise.allSettled(['first', 'refused', 'second'].map((title) => t.server.records.create('notes', { title }, {}, info)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'bad_request', message: 'Failed to create record.' });
    const rows = await t.server.engine.all<{ title: string }>('SELECT title FROM notes ORDER BY title');
    expect(rows.map((r) => r.title)).toEqual(['first', 'second']);
    const logged = await t.server.engine.all<{ recordId: string }>(`SELECT "recordId" FROM _changes WHERE "collectionId" = ? ORDER BY seq`, [notes.body.id]);
    expect(logged.map((r) => r.recordId)).toEqual(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.id] : [])));
  });

  it('serves view collections read-only', async () => {
    const view = await t.api(
      'POST',
      '/api/collections',
      { name: 'post_stats', type: 'view', viewQuery: 'SELECT p.id AS id, p.title AS title, (SELECT COUNT(*) FROM comments c WHERE c.post = p.id) AS total FROM posts p', listRule: '' },
      admin(),
    );
    expect(view.status, JSON.stringify(view.body)).toBe(200);
    const list = await t.api('GET', `/api/collections/post_stats/records?filter=${q('title = "With comments"')}`);
    expect(list.status).toBe(200);
    expect(list.body.items[0].total).toBe(2);
    const write = await t.api('POST', '/api/collections/post_stats/records', { title: 'x' }, admin());
    expect(write.status).toBe(400);
  });
});

describe('names and upserts', () => {
  it('accepts SQL keywords as collection and field names (identifiers are always quoted)', async () => {
    const res = await t.api('POST', '/api/collections', { name: 'order', fields: [{ name: 'group', type: 'text' }], listRule: '' }, admin());
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await create('order', { group: 'g1' });
    const list = await t.api('GET', `/api/collections/order/records?filter=${q('group = "g1"')}&sort=-group`);
    expect(list.body.items).toHaveLength(1);
  });

  it('logs every truncated record as a delete', async () => {
    await t.api('POST', '/api/collections', { name: 'scratch', fields: [{ name: 'n', type: 'number' }] }, admin());
    const a = await create('scratch', { n: 1 });
    const b = await create('scratch', { n: 2 });
    const seq = Number(await scalar(t.server.engine, 'SELECT MAX(seq) FROM _changes'));
    expect((await t.api('DELETE', '/api/collections/scratch/truncate', undefined, admin())).status).toBe(204);
    const logged = await t.server.engine.all<{ recordId: string; action: string; data: string }>(
      'SELECT "recordId", action, data FROM _changes WHERE seq > ? ORDER BY seq',
      [seq],
    );
    expect(logged.map((r) => [r.recordId, r.action])).toEqual([
      [a.id, 'delete'],
      [b.id, 'delete'],
    ]);
    expect(JSON.parse(logged[1]!.data)).toMatchObject({ id: b.id, n: 2 });
  });

  it('upserts with PUT in a batch', async () => {
    const res = await t.api(
      'POST',
      '/api/batch',
      {
        requests: [
          { method: 'PUT', url: '/api/collections/posts/records', body: { id: 'upsert000000001', title: 'first' } },
          { method: 'PUT', url: '/api/collections/posts/records', body: { id: 'upsert000000001', title: 'second' } },
        ],
      },
      admin(),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.map((r: any) => r.body.title)).toEqual(['first', 'second']);
    expect(await scalar(t.server.engine, 'SELECT COUNT(*) FROM posts WHERE id = ?', ['upsert000000001'])).toBe(1);
  });
});

describe('schema changes', () => {
  const state = async () =>
    JSON.stringify({
      master: await schemaSnapshot(t.server.engine),
      meta: await t.server.engine.all('SELECT * FROM _collections ORDER BY id'),
      rows: await t.server.engine.all('SELECT * FROM posts ORDER BY id'),
    });

  it('renames and retypes a field with data preserved', async () => {
    const coll = await t.api('POST', '/api/collections', { name: 'scores', fields: [{ name: 'label', type: 'text' }, { name: 'points', type: 'text' }] }, admin());
    await create('scores', { label: 'a', points: '12' });
    const fields = coll.body.fields.map((f: any) => (f.name === 'points' ? { ...f, type: 'number' } : f.name === 'label' ? { ...f, name: 'name' } : f));
    const upd = await t.api('PATCH', '/api/collections/scores', { fields }, admin());
    expect(upd.status, JSON.stringify(upd.body)).toBe(200);
    const rec = await t.api('GET', '/api/collections/scores/records', undefined, admin());
    expect(rec.body.items[0]).toMatchObject({ name: 'a', points: 12 });
  });

  it('a conversion that cannot hold is a 400 and changes nothing', async () => {
    await create('posts', { title: 'not a number' });
    const before = await state();
    const coll = await t.api('GET', '/api/collections/posts', undefined, admin());
    const fields = coll.body.fields.map((f: any) => (f.name === 'title' ? { ...f, type: 'number' } : f));
    const res = await t.api('PATCH', '/api/collections/posts', { fields }, admin());
    expect(res.status).toBe(400);
    expect(await state()).toBe(before);
  });

  it('a duplicate field name is a 400 and changes nothing', async () => {
    const before = await state();
    const coll = await t.api('GET', '/api/collections/posts', undefined, admin());
    const res = await t.api('PATCH', '/api/collections/posts', { fields: [...coll.body.fields, { name: 'TITLE', type: 'text' }] }, admin());
    expect(res.status).toBe(400);
    expect(await state()).toBe(before);
  });
});
