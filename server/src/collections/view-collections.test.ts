import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findField } from './model.ts';
import { expectAppError, openTestEnv, type TestEnv } from './test-support.ts';

let env: TestEnv;
beforeEach(async () => {
  env = openTestEnv();
  await env.service.bootstrapSystemCollections();
  await env.service.create({
    name: 'posts',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'views', type: 'number' },
      { name: 'author', type: 'relation', collectionId: 'users' },
    ],
  });
  env.db.run(`INSERT INTO posts (id, title, views) VALUES ('p1', 'Hello', 3)`);
});
afterEach(() => env.close());

describe('view collections', () => {
  it('creates an SQL view and infers fields from its columns', async () => {
    const v = await env.service.create({
      name: 'post_stats',
      type: 'view',
      viewQuery: 'SELECT p.id, p.title, p.author, views * 2 AS doubled FROM posts p;',
    });
    expect(v.fields.map((f) => [f.name, f.type])).toEqual([
      ['id', 'text'],
      ['title', 'text'],
      ['author', 'relation'],
      ['doubled', 'json'],
    ]);
    expect(findField(v, 'author')?.collectionId).toBe(env.registry.get('users').id);
    expect(v.indexes).toEqual([]);
    expect(env.db.get("SELECT type FROM sqlite_master WHERE name = 'post_stats'")).toEqual({ type: 'view' });
    expect(env.db.all('SELECT id, doubled FROM post_stats')).toEqual([{ id: 'p1', doubled: 6 }]);
    expect(env.registry.get('post_stats').viewQuery).toBe('SELECT p.id, p.title, p.author, views * 2 AS doubled FROM posts p;');
  });

  it('is read-only: write rules and indexes are refused', async () => {
    const err = await expectAppError(() => env.service.create({ name: 'v', type: 'view', viewQuery: 'SELECT id FROM posts', createRule: '' }));
    expect(err.data).toHaveProperty('createRule');
    const err2 = await expectAppError(() =>
      env.service.create({ name: 'v', type: 'view', viewQuery: 'SELECT id FROM posts', indexes: ['CREATE INDEX i ON v (id)'] }),
    );
    expect(err2.data).toHaveProperty('indexes');
  });

  it.each([
    ['unaliased expression', 'SELECT id, count(*) FROM posts GROUP BY id'],
    ['duplicate columns', 'SELECT id, id FROM posts'],
    ['not a select', 'PRAGMA table_info(posts)'],
    ['empty', '   '],
  ])('refuses %s', async (_label, viewQuery) => {
    const err = await expectAppError(() => env.service.create({ name: 'v', type: 'view', viewQuery }));
    expect(err.data).toHaveProperty('viewQuery');
  });

  it('updates its query and keeps field ids by name; dependent views survive table changes', async () => {
    const v = await env.service.create({ name: 'titles', type: 'view', viewQuery: 'SELECT id, title FROM posts' });
    const next = await env.service.update('titles', { viewQuery: 'SELECT id, title, views FROM posts' });
    expect(findField(next, 'title')?.id).toBe(findField(v, 'title')?.id);
    expect(next.fields.map((f) => f.name)).toEqual(['id', 'title', 'views']);
    await env.service.update('posts', { fields: [...(env.registry.get('posts').fields as never[]), { name: 'extra', type: 'bool' }] });
    expect(env.db.all('SELECT * FROM titles')).toEqual([{ id: 'p1', title: 'Hello', views: 3 }]);
  });

  it('accepts WITH queries and views over views', async () => {
    await env.service.create({ name: 'a_view', type: 'view', viewQuery: 'WITH t AS (SELECT id, title FROM posts) SELECT id, title FROM t' });
    const b = await env.service.create({ name: 'b_view', type: 'view', viewQuery: 'SELECT id, title FROM a_view' });
    expect(b.fields.map((f) => f.name)).toEqual(['id', 'title']);
    // Renaming posts rewrites a_view's query (as SQLite's own rename would); both views still work.
    await env.service.update('posts', { name: 'posts2' });
    expect(env.registry.get('a_view').viewQuery).toBe('WITH t AS (SELECT id, title FROM posts2) SELECT id, title FROM t');
    expect(env.db.all('SELECT * FROM b_view')).toEqual([{ id: 'p1', title: 'Hello' }]);
    // Renaming a view rewrites the views that select from it.
    await env.service.update('a_view', { name: 'a_view2' });
    expect(env.registry.get('b_view').viewQuery).toBe('SELECT id, title FROM a_view2');
    expect(env.db.all('SELECT * FROM b_view')).toEqual([{ id: 'p1', title: 'Hello' }]);
  });

  it('rebuilds dependent views in dependency order, whatever their creation order', async () => {
    await env.service.create({ name: 'v_one', type: 'view', viewQuery: 'SELECT id, title FROM posts' });
    await env.service.create({ name: 'v_two', type: 'view', viewQuery: 'SELECT id, title FROM posts' });
    await env.service.update('v_one', { viewQuery: 'SELECT id, title FROM v_two' }); // v_one now depends on the later view
    await env.service.update('posts', { fields: [...(env.registry.get('posts').fields as never[]), { name: 'more', type: 'text' }] });
    expect(env.db.all('SELECT * FROM v_one')).toEqual([{ id: 'p1', title: 'Hello' }]);
  });

  it('infers field types as PocketBase: aliases keep their source type, aggregates and casts are typed', async () => {
    await env.service.update('posts', { fields: [...(env.registry.get('posts').fields as never[]), { name: 'flag', type: 'bool' }] });
    const v = await env.service.create({
      name: 'typed',
      type: 'view',
      viewQuery: `SELECT p.id, p.flag AS state, p.title heading, p.id AS post, count(p.id) AS n, total(p.views) AS sum,
        cast(p.views AS real) AS r, CAST(p.views as integer) AS i, cast(p.title as text) AS t, cast(1 as boolean) AS b,
        views + 1 AS expr, 'x' AS 'literal' FROM posts AS p GROUP BY p.id`,
    });
    const shape = (name: string) => {
      const f = findField(v, name)!;
      return { type: f.type, ...(f.type === 'number' ? { onlyInt: f.onlyInt } : {}), ...(f.type === 'relation' ? { collectionId: f.collectionId, maxSelect: f.maxSelect } : {}) };
    };
    expect(Object.fromEntries(v.fields.map((f) => [f.name, shape(f.name)]))).toEqual({
      id: { type: 'text' },
      state: { type: 'bool' },
      heading: { type: 'text' },
      post: { type: 'relation', collectionId: env.registry.get('posts').id, maxSelect: 1 },
      n: { type: 'number', onlyInt: true },
      sum: { type: 'number', onlyInt: false },
      r: { type: 'number', onlyInt: false },
      i: { type: 'number', onlyInt: true },
      t: { type: 'text' },
      b: { type: 'bool' },
      expr: { type: 'json' },
      literal: { type: 'json' },
    });
  });

  it('unqualified columns belong to the main table; a joined table is reached through its alias', async () => {
    await env.service.create({ name: 'tags', fields: [{ name: 'title', type: 'number' }, { name: 'post', type: 'relation', collectionId: env.registry.get('posts').id }] });
    const v = await env.service.create({ name: 'joined', type: 'view', viewQuery: 'SELECT posts.id, views, t.title AS tag_title, t.id AS tag FROM posts LEFT JOIN tags t ON t.post = posts.id' });
    expect(v.fields.map((f) => [f.name, f.type])).toEqual([['id', 'text'], ['views', 'number'], ['tag_title', 'number'], ['tag', 'relation']]);
    expect(findField(v, 'tag')?.collectionId).toBe(env.registry.get('tags').id);
  });

  it('casts an id that is not a TEXT column to text, so it can be looked up by its string form', async () => {
    await env.service.create({ name: 'numbered', type: 'view', viewQuery: 'SELECT (ROW_NUMBER() OVER (ORDER BY id)) AS id, title FROM posts' });
    expect(env.db.all(`SELECT id, title FROM numbered WHERE id = '1'`)).toEqual([{ id: '1', title: 'Hello' }]);
    // A table's TEXT id is used as it is (the view stays a plain projection of the table).
    await env.service.create({ name: 'plain', type: 'view', viewQuery: 'SELECT id, title FROM posts' });
    expect(String(env.db.get<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = 'plain'`)!.sql)).not.toContain('CAST');
  });
});
