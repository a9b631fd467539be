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

describe('bootstrap', () => {
  it('creates _superusers and users once, and not users again after it was deleted', async () => {
    await env.service.bootstrapSystemCollections();
    const su = env.registry.get('_superusers');
    const users = env.registry.get('users');
    expect(su).toMatchObject({ type: 'auth', system: true, listRule: null, createRule: null });
    expect(users).toMatchObject({ type: 'auth', system: false, listRule: 'id = @request.auth.id', createRule: '' });
    expect(users.fields.map((f) => f.name)).toEqual(['id', 'password', 'tokenKey', 'email', 'emailVisibility', 'verified', 'name', 'created', 'updated']);
    expect(users.auth?.tokenSecret).toMatch(/^[A-Za-z0-9]{50}$/);
    expect(users.auth?.authToken.duration).toBe(604800);
    expect(columns('users').map((c) => c.name)).toContain('tokenKey');
    await env.service.delete('users');
    await env.service.bootstrapSystemCollections();
    expect(env.registry.find('users')).toBeUndefined();
  });
});

describe('create', () => {
  it('creates a real table with system fields and PB column types', async () => {
    const posts = await createPosts();
    expect(posts.id).toMatch(/^pbc_\d{12}$/);
    expect(posts.fields.map((f) => f.name)).toEqual(['id', 'title', 'views', 'tags', 'created', 'updated']);
    expect(findField(posts, 'id')).toMatchObject({ id: 'text3208210256', primaryKey: true, system: true, autogeneratePattern: '[a-z0-9]{15}' });
    expect(columns('posts')).toEqual([
      { name: 'id', type: 'TEXT' },
      { name: 'title', type: 'TEXT' },
      { name: 'views', type: 'NUMERIC' },
      { name: 'tags', type: 'JSON' },
      { name: 'created', type: 'TEXT' },
      { name: 'updated', type: 'TEXT' },
    ]);
    const sql = env.db.get<{ sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'posts'")!.sql;
    expect(sql).toContain('"id" TEXT PRIMARY KEY NOT NULL');
    expect(sql).not.toMatch(/WITHOUT ROWID/i);
    expect(env.schemaEvents).toEqual([posts.id]);
  });

  it('registry finds by id and case-insensitive name, and bumps version', async () => {
    const v = env.registry.version;
    const posts = await createPosts();
    expect(env.registry.version).toBeGreaterThan(v);
    expect(env.registry.find('POSTS')?.id).toBe(posts.id);
    expect(env.registry.get(posts.id).name).toBe('posts');
    expect(() => env.registry.get('nope')).toThrow(/wasn't found/);
    expect(Object.isFrozen(env.registry.get('posts').fields[0])).toBe(true);
  });

  it.each([
    ['bad pattern', { name: '1posts' }, 'name'],
    ['underscore prefix', { name: '_secret' }, 'name'],
    ['sqlite internal name', { name: 'sqlite_stat1' }, 'name'],
    ['sqlite_ name', { name: 'sqlite_stat' }, 'name'],
    ['internal table', { name: '_params', system: true }, 'name'],
    ['missing name', {}, 'name'],
    ['bad type', { name: 'x', type: 'table' }, 'type'],
    ['rule type', { name: 'x', listRule: 5 }, 'listRule'],
  ])('refuses %s', async (_label, input, key) => {
    const err = await expectAppError(() => env.service.create(input));
    expect(err.code).toBe('validation');
    expect(err.message).toBe('Failed to create collection.');
    expect(Object.keys(err.data)).toContain(key);
  });

  it('refuses a duplicate name case-insensitively', async () => {
    await createPosts();
    const err = await expectAppError(() => env.service.create({ name: 'Posts' }));
    expect(err.data).toMatchObject({ name: { code: 'validation_collection_name_exists' } });
  });

  it('reports field errors in PocketBase nested shape', async () => {
    const err = await expectAppError(() =>
      env.service.create({ name: 'x', fields: [{ name: 'a', type: 'text' }, { name: 'A', type: 'number' }] }),
    );
    expect(err.data).toEqual({
      fields: { '2': { name: { code: 'validation_duplicated_field_name', message: 'Duplicated or invalid field name A.' } } },
    });
  });

  it.each([
    ['unknown type', { name: 'a', type: 'money' }, 'type'],
    ['reserved name', { name: 'expand', type: 'text' }, 'name'],
    ['_via_ name', { name: 'a_via_b', type: 'text' }, 'name'],
    ['password outside auth', { name: 'pw', type: 'password' }, 'type'],
    ['relation to a missing collection', { name: 'r', type: 'relation', collectionId: 'nope' }, 'collectionId'],
    ['select without values', { name: 's', type: 'select' }, 'values'],
  ])('refuses field: %s', async (_label, field, key) => {
    const err = await expectAppError(() => env.service.create({ name: 'x', fields: [field] }));
    const fieldErrors = Object.values((err.data as { fields: Record<string, Record<string, unknown>> }).fields)[0]!;
    expect(Object.keys(fieldErrors)).toContain(key);
  });

  it('stores relation targets by id even when given a name', async () => {
    const posts = await createPosts();
    const c = await env.service.create({ name: 'comments', fields: [{ name: 'post', type: 'relation', collectionId: 'posts' }] });
    expect(findField(c, 'post')?.collectionId).toBe(posts.id);
  });

  it('runs the injected rule validator against the final schema', async () => {
    await env.close();
    env = openTestEnv({
      validateRule: (collection, rule, text) => {
        if (!findField(collection, text.split(' ')[0]!)) throw new Error(`unknown field in ${rule}`);
      },
    });
    expect((await env.service.create({ name: 'ok', fields: [{ name: 'title', type: 'text' }], listRule: 'title != ""' })).listRule).toBe('title != ""');
    const err = await expectAppError(() => env.service.create({ name: 'bad', listRule: 'nope = 1' }));
    expect(err.data).toEqual({ listRule: { code: 'validation_invalid_rule', message: 'Invalid rule. Raw error: unknown field in listRule' } });
    expect(env.db.get("SELECT 1 FROM sqlite_master WHERE name = 'bad'")).toBeUndefined();
  });
});

describe('delete and truncate', () => {
  it('refuses to delete a collection another one references', async () => {
    const posts = await createPosts();
    await env.service.create({ name: 'comments', fields: [{ name: 'post', type: 'relation', collectionId: posts.id }] });
    const err = await expectAppError(() => env.service.delete('posts'));
    expect(err.code).toBe('bad_request');
    expect(err.message).toContain('referenced by');
    expect(env.registry.find('posts')).toBeDefined();
    expect(env.db.get("SELECT 1 AS x FROM sqlite_master WHERE name = 'posts'")).toEqual({ x: 1 });
    await env.service.delete('comments');
    await env.service.delete('posts');
    expect(env.db.get("SELECT 1 FROM sqlite_master WHERE name = 'posts'")).toBeUndefined();
    expect(env.db.get('SELECT 1 FROM _collections WHERE id = ?', [posts.id])).toBeUndefined();
  });

  it('allows deleting a self-referencing collection, refuses system ones', async () => {
    const c = await env.service.create({ name: 'tree', fields: [] });
    await env.service.update('tree', { fields: [...wireFields(c), { name: 'parent', type: 'relation', collectionId: c.id }] });
    await env.service.delete('tree');
    await env.service.bootstrapSystemCollections();
    expect((await expectAppError(() => env.service.delete('_superusers'))).code).toBe('bad_request');
  });

  it('truncates rows; refuses views', async () => {
    await createPosts();
    env.db.run(`INSERT INTO posts (id, title) VALUES ('r1', 'x')`);
    await env.service.truncate('posts');
    expect(rows('posts')).toEqual([]);
    await env.service.create({ name: 'v', type: 'view', viewQuery: 'SELECT id FROM posts' });
    expect((await expectAppError(() => env.service.truncate('v'))).code).toBe('bad_request');
  });
});
