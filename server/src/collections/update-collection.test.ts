import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findField, type Collection } from './model.ts';
import { columnsOf, createPosts as createPostsIn, expectAppError, openTestEnv, rowsOf, type TestEnv } from './test-support.ts';
import { toWire } from './wire.ts';

let env: TestEnv;
beforeEach(async () => {
  env = openTestEnv();
});
afterEach(() => env.close());

const columns = (table: string) => columnsOf(env.db, table);
const rows = (table: string) => rowsOf(env.db, table);
const wireFields = (c: Collection) => (toWire(c).fields as Record<string, unknown>[]).map((f) => ({ ...f }));
const createPosts = () => createPostsIn(env);

describe('update', () => {
  it('is partial: unsent keys keep their values', async () => {
    const posts = await createPosts();
    const next = await env.service.update('posts', { listRule: '' });
    expect(next.listRule).toBe('');
    expect(next.fields).toEqual(posts.fields);
    expect(next.created).toBe(posts.created);
  });

  it('adds, renames and drops fields, preserving data', async () => {
    const posts = await createPosts();
    env.db.run(`INSERT INTO posts (id, title, views, tags) VALUES ('r1', 'Hello', 3, '["a"]'), ('r2', 'World', 0, '[]')`);
    const fields = wireFields(posts)
      .filter((f) => f.name !== 'tags')
      .map((f) => (f.name === 'title' ? { ...f, name: 'headline' } : f));
    fields.push({ name: 'summary', type: 'text' });
    const next = await env.service.update('posts', { fields });
    expect(next.fields.map((f) => f.name)).toEqual(['id', 'headline', 'views', 'created', 'updated', 'summary']);
    expect(findField(next, 'headline')?.id).toBe(findField(posts, 'title')?.id);
    expect(rows('posts')).toEqual([
      { id: 'r1', headline: 'Hello', views: 3, created: '', updated: '', summary: '' },
      { id: 'r2', headline: 'World', views: 0, created: '', updated: '', summary: '' },
    ]);
  });

  it('keeps system fields left out of the field list', async () => {
    const posts = await createPosts();
    const next = await env.service.update('posts', { fields: [{ name: 'title', type: 'text' }] });
    expect(next.fields.map((f) => f.name)).toEqual(['id', 'title', 'created', 'updated']);
    expect(findField(next, 'created')?.id).toBe(findField(posts, 'created')?.id);
  });

  it('enforces the id field: primary key, system, default pattern', async () => {
    await createPosts();
    const next = await env.service.update('posts', { fields: [{ name: 'id', type: 'text', primaryKey: false, hidden: true }, { name: 'title', type: 'text' }] });
    expect(next.fields[0]).toMatchObject({ name: 'id', primaryKey: true, system: true, hidden: false, required: true, pattern: '^[a-z0-9]+$' });
  });

  it('swaps two field names through a rebuild', async () => {
    const c = await env.service.create({ name: 'pairs', fields: [{ name: 'a', type: 'text' }, { name: 'b', type: 'text' }] });
    env.db.run(`INSERT INTO pairs (id, a, b) VALUES ('r1', 'A', 'B')`);
    const fields = wireFields(c).map((f) => (f.name === 'a' ? { ...f, name: 'b' } : f.name === 'b' ? { ...f, name: 'a' } : f));
    await env.service.update('pairs', { fields });
    expect(rows('pairs')).toEqual([{ id: 'r1', b: 'A', a: 'B', created: '', updated: '' }]);
  });

  it('converts types: text → number, number → text, single ↔ multi select, text → json', async () => {
    const c = await env.service.create({
      name: 'conv',
      fields: [
        { name: 'n', type: 'text' },
        { name: 'm', type: 'number' },
        { name: 's', type: 'select', values: ['a', 'b'], maxSelect: 1 },
        { name: 'j', type: 'text' },
      ],
    });
    env.db.run(`INSERT INTO conv (id, n, m, s, j) VALUES ('r1', '12.5', 7, 'a', 'hello'), ('r2', '', 0, '', '')`);
    const retyped = wireFields(c).map((f) => {
      if (f.name === 'n') return { ...f, type: 'number' };
      if (f.name === 'm') return { ...f, type: 'text' };
      if (f.name === 's') return { ...f, maxSelect: 2 };
      if (f.name === 'j') return { ...f, type: 'json' };
      return f;
    });
    const next = await env.service.update('conv', { fields: retyped });
    expect(columns('conv').find((col) => col.name === 'n')?.type).toBe('NUMERIC');
    expect(rows('conv')).toEqual([
      { id: 'r1', n: 12.5, m: '7', s: '["a"]', j: '"hello"', created: '', updated: '' },
      { id: 'r2', n: 0, m: '0', s: '[]', j: null, created: '', updated: '' },
    ]);
    // multi → single works while every row holds at most one value
    await env.service.update('conv', { fields: wireFields(next).map((f) => (f.name === 's' ? { ...f, maxSelect: 1 } : f)) });
    expect(rows('conv').map((r) => r.s)).toEqual(['a', '']);
  });

  it('renames the collection, its table and its indexes, keeping rows and rowids', async () => {
    await createPosts();
    await env.service.update('posts', { indexes: ['CREATE INDEX `idx_title` ON `posts` (`title`)'] });
    env.db.run(`INSERT INTO posts (id, title) VALUES ('r1', 'Hello')`);
    const next = await env.service.update('posts', { name: 'Articles' });
    expect(next.indexes).toEqual(['CREATE INDEX `idx_title` ON `Articles` (`title`)']);
    expect(env.db.get("SELECT tbl_name FROM sqlite_master WHERE name = 'idx_title'")).toEqual({ tbl_name: 'Articles' });
    expect(env.db.all('SELECT rowid, id, title FROM Articles')).toEqual([{ rowid: 1, id: 'r1', title: 'Hello' }]);
    expect(env.registry.find('posts')).toBeUndefined();
    await env.service.update('Articles', { name: 'articles' }); // case-only rename
    expect(env.db.pluck("SELECT name FROM sqlite_master WHERE type = 'table' AND lower(name) = 'articles'")).toEqual(['articles']);
  });

  it('rewrites index columns when a field is renamed and indexes are not sent', async () => {
    const posts = await createPosts();
    await env.service.update('posts', { indexes: ['CREATE UNIQUE INDEX idx_t ON posts (title) WHERE title != \'\''] });
    const fields = wireFields(posts).map((f) => (f.name === 'title' ? { ...f, name: 'headline' } : f));
    const next = await env.service.update('posts', { fields });
    expect(next.indexes).toEqual(["CREATE UNIQUE INDEX idx_t ON posts (headline) WHERE headline != ''"]);
  });

  it('creates and drops indexes without touching the table', async () => {
    await createPosts();
    const before = env.db.get("SELECT sql FROM sqlite_master WHERE name = 'posts'");
    await env.service.update('posts', { indexes: ['CREATE INDEX a ON posts (title)', 'CREATE INDEX b ON posts (views)'] });
    await env.service.update('posts', { indexes: ['CREATE INDEX b ON posts (views)'] });
    expect(env.db.pluck("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'posts' AND sql IS NOT NULL")).toEqual(['b']);
    expect(env.db.get("SELECT sql FROM sqlite_master WHERE name = 'posts'")).toEqual(before);
  });

  it('refuses changes to system collections and fields', async () => {
    await env.service.bootstrapSystemCollections();
    expect((await expectAppError(() => env.service.update('_superusers', { name: '_admins' }))).data).toHaveProperty('name');
    expect((await expectAppError(() => env.service.update('_superusers', { listRule: '' }))).data).toHaveProperty('listRule');
    const users = env.registry.get('users');
    const renamed = wireFields(users).map((f) => (f.name === 'email' ? { ...f, name: 'mail' } : f));
    expect((await expectAppError(() => env.service.update('users', { fields: renamed }))).data).toHaveProperty('fields');
    expect((await expectAppError(() => env.service.update('users', { type: 'base' }))).data).toHaveProperty('type');
  });
});
