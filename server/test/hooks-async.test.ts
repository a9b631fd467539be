/**
 * Async before-write hooks and `e.tx` on both engines. SQLite, over HTTP: an async before hook
 * awaits `e.tx` (values come back directly there) inside the write's transaction and changes the
 * body; one that writes through `e.tx` and then rejects answers 400 and both writes roll back.
 * PostgreSQL, through the records service on the engine: the same hooks with `e.tx` as promises
 * on the write's own transaction — it sees the write's uncommitted state, and a rejection rolls
 * its writes back.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './harness.ts';
import { migrate, openPostgresEngine, type SqlEngine } from '../src/db/index.ts';
import { createCollectionsService, openRegistry } from '../src/collections/index.ts';
import { createRecordsService } from '../src/records/index.ts';
import { createHooks, type Hooks } from '../src/hooks/index.ts';
import { EventBus } from '../src/shared/events.ts';
import { createLogger } from '../src/shared/logger.ts';
import { isAppError } from '../src/shared/errors.ts';
import { startPostgres, type TestPostgres } from '../../test-support/postgres.ts';
import { START_TIMEOUT } from './engines/both-engines.ts';

/** Portable: awaits every `e.tx` call, so it runs on SQLite (values) and PostgreSQL (promises). */
const HOOKS = `import type { HearthHooks } from '@hearth/server/hooks';

export default (hearth: HearthHooks) => {
  hearth.onRecordBeforeCreate('notes', async (e) => {
    await new Promise((r) => setTimeout(r, 5));
    const row = await e.tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM notes');
    e.body.title = String(e.body.title) + ' #' + String(Number(row?.n ?? 0) + 1);
  });
  hearth.onRecordBeforeUpdate('notes', async (e) => {
    await e.tx.run('UPDATE notes SET title = ? WHERE id != ?', ['touched by the hook', e.record?.id]);
    if (e.body.title === 'refuse') throw new hearth.ApiError(400, 'Refused by an async hook.');
  });
};
`;

describe('async before hooks on SQLite', () => {
  let t: TestServer;
  let hooksDir: string;

  beforeAll(async () => {
    hooksDir = mkdtempSync(join(tmpdir(), 'hearth-hooks-async-'));
    writeFileSync(join(hooksDir, 'notes.ts'), HOOKS);
    t = await startServer({ hooksDir });
    const created = await t.api('POST', '/api/collections', { name: 'notes', fields: [{ name: 'title', type: 'text' }], listRule: '', viewRule: '', createRule: '', updateRule: '' }, t.adminToken);
    expect(created.status, JSON.stringify(created.body)).toBe(200);
  });

  afterAll(async () => {
    await t?.close();
    rmSync(hooksDir, { recursive: true, force: true });
  });

  it('awaits an async hook inside the write: its e.tx reads through the write’s transaction and its body change is stored', async () => {
    const a = await t.api('POST', '/api/collections/notes/records', { title: 'first' });
    const b = await t.api('POST', '/api/collections/notes/records', { title: 'second' });
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.body.title, b.body.title]).toEqual(['first #1', 'second #2']);
  });

  it('a rejected async hook answers 400 and rolls back its own e.tx writes with the record', async () => {
    const list = await t.api('GET', '/api/collections/notes/records?sort=title');
    const [first] = list.body.items as Array<{ id: string }>;
    const refused = await t.api('PATCH', `/api/collections/notes/records/${first!.id}`, { title: 'refuse' });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe('Refused by an async hook.');
    const after = await t.api('GET', '/api/collections/notes/records?sort=title');
    expect((after.body.items as Array<{ title: string }>).map((r) => r.title)).toEqual(['first #1', 'second #2']);
  });
});

describe('async before hooks on PostgreSQL', () => {
  let pg: TestPostgres;
  let engine: SqlEngine;
  let hooks: Hooks;
  let hooksDir: string;
  let records: ReturnType<typeof createRecordsService>;
  const info = { auth: null, method: 'POST', query: {}, headers: {}, body: {} };

  beforeAll(async () => {
    pg = await startPostgres();
    engine = openPostgresEngine(await pg.createDatabase('hooks'));
    await migrate(engine);
    const registry = await openRegistry({ engine });
    const events = new EventBus();
    const collections = createCollectionsService({ engine, registry, events });
    await collections.bootstrapSystemCollections();
    await collections.create({ name: 'notes', fields: [{ name: 'title', type: 'text' }], listRule: '', viewRule: '', createRule: '', updateRule: '' } as never);
    hooksDir = mkdtempSync(join(tmpdir(), 'hearth-hooks-async-pg-'));
    writeFileSync(join(hooksDir, 'notes.ts'), HOOKS);
    let current: Hooks | null = null;
    records = createRecordsService({
      engine,
      db: undefined as never,
      registry,
      events,
      hashPassword: async (p) => p,
      hooks: { before: (w) => current!.records.before(w), handles: (action, c) => current!.records.handles?.(action, c) ?? true },
    });
    const logger = createLogger('silent');
    hooks = createHooks({ dir: hooksDir, engine, registry, events, logger, schedule: false, context: { records: { system: {}, as: () => ({}) }, mail: { send: async () => true }, logger } as never });
    current = hooks;
    await hooks.load();
  }, START_TIMEOUT);

  afterAll(async () => {
    hooks?.close();
    await engine?.close();
    await pg?.stop();
    if (hooksDir) rmSync(hooksDir, { recursive: true, force: true });
  });

  it('runs the async hook on the write’s transaction: e.tx is awaited and reads through it', async () => {
    const a = await records.create('notes', { title: 'first' }, {}, info as never);
    const b = await records.create('notes', { title: 'second' }, {}, info as never);
    expect([a.title, b.title]).toEqual(['first #1', 'second #2']);
  });

  it('a rejection rolls back the hook’s e.tx writes and the update', async () => {
    const [first] = await engine.all<{ id: string }>(`SELECT "id" FROM "notes" ORDER BY "title"`);
    let refused: unknown;
    try {
      await records.update('notes', first!.id, { title: 'refuse' }, {}, { ...info, method: 'PATCH' } as never);
    } catch (err) {
      refused = err;
    }
    expect(isAppError(refused) ? refused.message : refused).toBe('Refused by an async hook.');
    const titles = (await engine.all<{ title: string }>(`SELECT "title" FROM "notes" ORDER BY "title"`)).map((r) => r.title);
    expect(titles).toEqual(['first #1', 'second #2']);
  });
});
