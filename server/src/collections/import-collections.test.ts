import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findField } from './model.ts';
import { expectAppError, openTestEnv, snapshot, type TestEnv } from './test-support.ts';
import { toWire } from './wire.ts';

let env: TestEnv;
beforeEach(async () => {
  env = openTestEnv();
  await env.service.bootstrapSystemCollections();
});
afterEach(() => env.close());

describe('importCollections', () => {
  it('creates collections that reference each other, in one go', async () => {
    await env.service.importCollections(
      [
        { id: 'pbc_comments01', name: 'comments', fields: [{ name: 'post', type: 'relation', collectionId: 'pbc_posts00001' }] },
        { id: 'pbc_posts00001', name: 'posts', fields: [{ name: 'title', type: 'text' }] },
        { name: 'post_titles', type: 'view', viewQuery: 'SELECT id, title FROM posts' },
      ],
      false,
    );
    expect(findField(env.registry.get('comments'), 'post')?.collectionId).toBe('pbc_posts00001');
    expect(env.registry.get('post_titles').fields.map((f) => f.name)).toEqual(['id', 'title']);
    expect(env.schemaEvents.at(-1)).toBeNull();
  });

  it('updates an existing collection by name, keeping unmentioned fields without deleteMissing', async () => {
    await env.service.create({ name: 'posts', fields: [{ name: 'title', type: 'text' }, { name: 'body', type: 'editor' }] });
    env.db.run(`INSERT INTO posts (id, title, body) VALUES ('r1', 'T', 'B')`);
    await env.service.importCollections([{ name: 'posts', listRule: '', fields: [{ name: 'title', type: 'text', max: 50 }] }], false);
    const posts = env.registry.get('posts');
    expect(posts.listRule).toBe('');
    expect(findField(posts, 'title')?.max).toBe(50);
    expect(findField(posts, 'body')).toBeDefined();
    expect(env.db.get('SELECT title, body FROM posts')).toEqual({ title: 'T', body: 'B' });
  });

  it('with deleteMissing, drops unlisted non-system collections and unlisted fields', async () => {
    await env.service.create({ name: 'posts', fields: [{ name: 'title', type: 'text' }, { name: 'body', type: 'editor' }] });
    await env.service.create({ name: 'old', fields: [] });
    const exported = env.service.list().map(toWire);
    const posts = exported.find((c) => c.name === 'posts')!;
    posts.fields = (posts.fields as { name: string }[]).filter((f) => f.name !== 'body');
    await env.service.importCollections(exported.filter((c) => c.name !== 'old' && c.name !== 'users'), true);
    expect(env.service.list().map((c) => c.name)).toEqual(['_superusers', '_externalAuths', '_mfas', '_otps', '_authOrigins', 'posts']);
    expect(findField(env.registry.get('posts'), 'body')).toBeUndefined();
    expect(env.db.get("SELECT 1 FROM sqlite_master WHERE name = 'old'")).toBeUndefined();
  });

  it('round-trips its own export unchanged', async () => {
    await env.service.create({ name: 'posts', fields: [{ name: 'title', type: 'text' }], indexes: ['CREATE INDEX i ON posts (title)'] });
    const before = snapshot(env.db);
    const exported = env.service.list().map(toWire);
    await env.service.importCollections(exported, true);
    expect(snapshot(env.db).replace(/"updated":"[^"]*"/g, '')).toBe(before.replace(/"updated":"[^"]*"/g, ''));
  });

  it('is all-or-nothing and reports the failing collection', async () => {
    const before = snapshot(env.db);
    const err = await expectAppError(() =>
      env.service.importCollections([{ name: 'good', fields: [] }, { name: 'bad', fields: [{ name: 'x', type: 'relation', collectionId: 'nope' }] }], false),
    );
    expect(err.message).toBe('Failed to import collections.');
    expect(err.data).toMatchObject({ collections: { code: 'validation_collections_import_failure' } });
    expect(JSON.stringify(err.data)).toContain('bad');
    expect(snapshot(env.db)).toBe(before);
  });

  it('refuses an empty list and duplicates', async () => {
    expect((await expectAppError(() => env.service.importCollections([], false))).code).toBe('validation');
    expect((await expectAppError(() => env.service.importCollections([{ name: 'a' }, { name: 'a' }], false))).code).toBe('validation');
  });
});
