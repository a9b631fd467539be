/**
 * The collections service on both engines through `SqlEngine`: the bootstrap of the built-in
 * collections, create with indexes and relation indexes, an update that renames a field and
 * changes another's type (Postgres: in place; SQLite: a rebuild) keeping the rows, a refused
 * change leaving the table and `_collections` as they were, view collections (fields inferred
 * through `columnsOf`), a view breaking a change, import, truncate, delete, and the registry's
 * `refresh()` seeing a change another registry committed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, runMigrations, type SqlEngine } from '../../src/db/index.ts';
import { createCollectionsService, openRegistry, type CollectionRegistry, type CollectionsService } from '../../src/collections/index.ts';
import { EventBus } from '../../src/shared/events.ts';
import { isAppError } from '../../src/shared/errors.ts';
import { startBothEngines, START_TIMEOUT, type BothEngines } from './both-engines.ts';

let both: BothEngines;

beforeAll(async () => {
  both = await startBothEngines();
  runMigrations((both.sqlite as SqlEngine & { db: Parameters<typeof runMigrations>[0] }).db);
  await migrate(both.postgres);
}, START_TIMEOUT);

afterAll(async () => {
  await both?.close();
});

async function serviceOn(engine: SqlEngine): Promise<{ registry: CollectionRegistry; service: CollectionsService; events: (string | null)[] }> {
  const registry = await openRegistry({ engine });
  const bus = new EventBus();
  const events: (string | null)[] = [];
  bus.on('schemaChanged', (e) => events.push(e.collectionId));
  return { registry, service: createCollectionsService({ engine, registry, events: bus }), events };
}

async function refusal(fn: () => Promise<unknown>): Promise<{ code: string; data: Record<string, unknown> }> {
  try {
    await fn();
  } catch (err) {
    if (isAppError(err)) return { code: err.code, data: err.data as Record<string, unknown> };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe.each(['sqlite', 'postgres'] as const)('collections on %s', (kind) => {
  const engine = () => (kind === 'sqlite' ? both.sqlite : both.postgres);
  let env: Awaited<ReturnType<typeof serviceOn>>;

  it('bootstraps the built-in collections once', async () => {
    env = await serviceOn(engine());
    await env.service.bootstrapSystemCollections();
    const names = env.registry.all().map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['_superusers', 'users', '_mfas', '_otps', '_externalAuths', '_authOrigins']));
    const count = names.length;
    await env.service.bootstrapSystemCollections();
    expect(env.registry.all()).toHaveLength(count);
  });

  it('creates, alters in place or by rebuild keeping rows, and refuses a bad change leaving everything as it was', async () => {
    const authors = await env.service.create({ name: 'authors', fields: [{ name: 'name', type: 'text' }] });
    const posts = await env.service.create({
      name: 'posts',
      fields: [
        { name: 'title', type: 'text' },
        { name: 'code', type: 'text' },
        { name: 'author', type: 'relation', collectionId: authors.id, maxSelect: 1 },
      ],
      indexes: ['CREATE INDEX idx_posts_title ON posts (title)'],
    });
    expect(env.events.at(-1)).toBe(posts.id);
    const q = engine();
    await q.run('INSERT INTO posts (id, title, code, author) VALUES (?, ?, ?, ?)', ['p1', 'Hello', '12', '']);

    const wire = posts.fields.map((f) => ({ ...f })) as Record<string, unknown>[];
    const fields = wire.map((f) => (f.name === 'title' ? { ...f, name: 'headline' } : f.name === 'code' ? { ...f, type: 'number' } : f));
    const updated = await env.service.update('posts', { fields, indexes: ['CREATE INDEX idx_posts_headline ON posts (headline)'] });
    expect(updated.fields.map((f) => f.name)).toEqual(['id', 'headline', 'code', 'author', 'created', 'updated']);
    expect(await q.all('SELECT id, headline, code FROM posts')).toEqual([{ id: 'p1', headline: 'Hello', code: 12 }]);

    const before = await q.all('SELECT * FROM "_collections" ORDER BY id');
    const bad = await refusal(() => env.service.update('posts', { indexes: ['CREATE INDEX idx_bad ON posts (nope)', 'CREATE INDEX idx_posts_headline2 ON posts (headline)'] }));
    expect(bad.code).toBe('validation');
    expect(Object.keys(bad.data)).toEqual(['indexes']);
    const taken = await refusal(() => env.service.create({ name: 'other', fields: [{ name: 't', type: 'text' }], indexes: ['CREATE INDEX idx_posts_headline ON other (t)'] }));
    expect(JSON.stringify(taken.data)).toContain('validation_existing_index_name');
    expect(await q.all('SELECT * FROM "_collections" ORDER BY id')).toEqual(before);
    expect(await q.all('SELECT id, headline, code FROM posts')).toEqual([{ id: 'p1', headline: 'Hello', code: 12 }]);
  });

  it('creates view collections with inferred fields; a change that would break one is refused', async () => {
    const view = await env.service.create({ name: 'headlines', type: 'view', viewQuery: 'SELECT id, headline FROM posts' });
    expect(view.fields.map((f) => [f.name, f.type])).toEqual([['id', 'text'], ['headline', 'text']]);
    expect(await engine().all('SELECT * FROM headlines')).toEqual([{ id: 'p1', headline: 'Hello' }]);
    const posts = env.registry.get('posts');
    const without = posts.fields.filter((f) => f.name !== 'headline');
    const refused = await refusal(() => env.service.update('posts', { fields: without, indexes: [] }));
    expect(Object.keys(refused.data)).toEqual(['fields']);
    expect(env.registry.get('posts').fields.map((f) => f.name)).toContain('headline');
    const noId = await refusal(() => env.service.create({ name: 'v2', type: 'view', viewQuery: 'SELECT headline FROM posts' }));
    expect(Object.keys(noId.data)).toEqual(['viewQuery']);
  });

  it('imports, truncates and deletes; another registry sees the change through refresh()', async () => {
    const other = await serviceOn(engine());
    await env.service.importCollections([{ name: 'tags', fields: [{ name: 'label', type: 'text' }] }], false);
    expect(env.registry.find('tags')).toBeDefined();
    expect(other.registry.find('tags')).toBeUndefined();
    await other.service.refresh();
    expect(other.registry.find('tags')).toBeDefined();
    expect(other.events).toEqual([null]);

    await engine().run('INSERT INTO tags (id, label) VALUES (?, ?)', ['t1', 'x']);
    await env.service.truncate('tags');
    expect(await engine().all('SELECT * FROM tags')).toEqual([]);
    const change = await engine().get<{ action: string; recordId: string }>('SELECT "action", "recordId" FROM "_changes" ORDER BY "seq" DESC LIMIT 1');
    expect(change).toEqual({ action: 'delete', recordId: 't1' });
    await env.service.delete('tags');
    expect(env.registry.find('tags')).toBeUndefined();
    await expect(engine().all('SELECT * FROM tags')).rejects.toThrow();
  });
});
