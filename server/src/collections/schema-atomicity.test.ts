import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Collection } from './model.ts';
import { expectAppError, openTestEnv, snapshot, type TestEnv } from './test-support.ts';
import { toWire } from './wire.ts';

let env: TestEnv;
let posts: Collection;

beforeEach(async () => {
  env = openTestEnv();
  await env.service.bootstrapSystemCollections();
  posts = await env.service.create({
    name: 'posts',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'code', type: 'text' },
      { name: 'tags', type: 'select', values: ['a', 'b'], maxSelect: 2 },
    ],
    indexes: ['CREATE INDEX idx_title ON posts (title)'],
  });
  env.db.run(`INSERT INTO posts (id, title, code, tags) VALUES ('r1', 'Hello', '12', '["a"]'), ('r2', 'World', 'abc', '["a","b"]')`);
  await env.service.create({ name: 'titles', type: 'view', viewQuery: 'SELECT id, title FROM posts' });
});
afterEach(() => env.close());

const fields = () => (toWire(env.registry.get('posts')).fields as Record<string, unknown>[]).map((f) => ({ ...f }));
const withField = (name: string, patch: Record<string, unknown>) => fields().map((f) => (f.name === name ? { ...f, ...patch } : f));

/** Each case: a change that must fail with a 400 and leave everything byte-identical. */
const failing: [string, () => unknown, string][] = [
  ['duplicate field name', () => env.service.update('posts', { fields: [...fields(), { name: 'TITLE', type: 'text' }] }), 'fields'],
  ['text → number with a non-numeric value', () => env.service.update('posts', { fields: withField('code', { type: 'number' }) }), 'fields'],
  ['multi → single with two values', () => env.service.update('posts', { fields: withField('tags', { maxSelect: 1 }) }), 'fields'],
  ['bad index SQL', () => env.service.update('posts', { indexes: ['CREATE INDEX x ON posts (title); DROP TABLE posts'] }), 'indexes'],
  ['index on an unknown column', () => env.service.update('posts', { indexes: ['CREATE INDEX x ON posts (nope)'] }), 'indexes'],
  ['index expression SQLite rejects', () => env.service.update('posts', { indexes: ['CREATE INDEX x ON posts (lower(nope))'] }), 'indexes'],
  ['unique index over duplicate data, after ADD COLUMN', () =>
    env.service.update('posts', { fields: [...fields(), { name: 'extra', type: 'text' }], indexes: ['CREATE UNIQUE INDEX u ON posts (created)'] }), 'indexes'],
  ['unique index over duplicate data, after a rebuild', () =>
    env.service.update('posts', { fields: fields().filter((f) => f.name !== 'tags'), indexes: ['CREATE UNIQUE INDEX u ON posts (code, created)', 'CREATE UNIQUE INDEX u2 ON posts (created)'] }), 'indexes'],
  ['rename of a field plus a later failure', () =>
    env.service.update('posts', { fields: withField('code', { name: 'code2' }), indexes: ['CREATE UNIQUE INDEX u ON posts (created)'] }), 'indexes'],
  ['index name used by another table', () => env.service.update('posts', { indexes: ['CREATE INDEX idx_email__pb_users_auth_ ON posts (title)'] }), 'indexes'],
  ['dropping a field a view uses', () => env.service.update('posts', { fields: fields().filter((f) => f.name !== 'title'), indexes: [] }), 'fields'],
  ['invalid viewQuery on update', () => env.service.update('titles', { viewQuery: 'SELECT id, nope FROM posts' }), 'viewQuery'],
  ['invalid viewQuery on create', () => env.service.create({ name: 'v2', type: 'view', viewQuery: 'SELECT id FROM nowhere' }), 'viewQuery'],
  ['view query without id', () => env.service.create({ name: 'v2', type: 'view', viewQuery: 'SELECT title FROM posts' }), 'viewQuery'],
  ['view query that writes', () => env.service.create({ name: 'v2', type: 'view', viewQuery: 'DELETE FROM posts RETURNING id' }), 'viewQuery'],
  ['two statements', () => env.service.create({ name: 'v2', type: 'view', viewQuery: 'SELECT id FROM posts; DROP TABLE posts' }), 'viewQuery'],
  ['deleting a table a view uses', () => env.service.delete('posts'), 'id'],
  ['import with one invalid collection', () =>
    env.service.importCollections([{ name: 'fresh', fields: [{ name: 'x', type: 'text' }] }, { name: 'broken', fields: [{ name: 'y', type: 'nope' }] }], false), 'collections'],
];

describe('a failing change leaves nothing behind', () => {
  it.each(failing)('%s', async (_label, change, key) => {
    const before = snapshot(env.db);
    const version = env.registry.version;
    const events = env.schemaEvents.length;
    const err = await expectAppError(change);
    expect(['validation', 'bad_request']).toContain(err.code);
    expect(Object.keys(err.data)).toContain(key);
    expect(snapshot(env.db)).toBe(before);
    expect(env.registry.version).toBe(version);
    expect(env.schemaEvents.length).toBe(events);
    expect(env.db.inTransaction).toBe(false);
  });

  it('the conversion error names the field', async () => {
    const err = await expectAppError(() => env.service.update('posts', { fields: withField('code', { type: 'number' }) }));
    const entry = (err.data as { fields: Record<string, { type: { code: string; message: string } }> }).fields;
    const [error] = Object.values(entry).map((e) => e.type);
    expect(error).toMatchObject({ code: 'validation_field_conversion_failed' });
    expect(error!.message).toContain('"code"');
    expect(error!.message).toContain('"abc"');
  });

  it('the same change succeeds once the data fits', async () => {
    env.db.run(`UPDATE posts SET code = '7' WHERE id = 'r2'`);
    await env.service.update('posts', { fields: withField('code', { type: 'number' }) });
    expect(env.db.pluck('SELECT code FROM posts ORDER BY rowid')).toEqual([12, 7]);
    expect(posts.id).toBe(env.registry.get('posts').id);
  });
});
