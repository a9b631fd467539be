/**
 * Test-only helpers: a real SQLite file in a temp dir with migrations applied, the registry and
 * service wired up, and a byte-level snapshot of schema, data and `_collections` rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEngine, quoteIdent, runMigrations, type SqlDb, type SqlEngine } from '../db/index.ts';
import { AppError } from '../shared/errors.ts';
import { EventBus } from '../shared/events.ts';
import { createCollectionsService, type CollectionsService } from './collections-service.ts';
import { createRegistry } from './create-registry.ts';
import type { CollectionRegistry } from './registry.ts';
import type { RuleValidator } from './save-collection.ts';

export interface TestEnv {
  engine: SqlEngine;
  /** The synchronous interface on the same file (snapshots, direct reads). */
  db: SqlDb;
  registry: CollectionRegistry;
  events: EventBus;
  service: CollectionsService;
  schemaEvents: (string | null)[];
  close(): Promise<void>;
}

export function openTestEnv(options: { validateRule?: RuleValidator } = {}): TestEnv {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-collections-'));
  const engine = openSqliteEngine(join(dir, 'data.db'));
  const { db } = engine;
  runMigrations(db);
  const registry = createRegistry({ engine, db });
  const events = new EventBus();
  const schemaEvents: (string | null)[] = [];
  events.on('schemaChanged', (e) => schemaEvents.push(e.collectionId));
  const service = createCollectionsService({ engine, db, registry, events, validateRule: options.validateRule });
  return {
    engine,
    db,
    registry,
    events,
    service,
    schemaEvents,
    async close() {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Everything a failed change must leave untouched, as one string. */
export function snapshot(db: SqlDb): string {
  const schema = db.all('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name');
  const tables = db.pluck<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  // Rows as sorted JSON lines, so WITHOUT ROWID tables (no rowid to order by) compare too.
  const rows = (t: string) =>
    db.all(`SELECT * FROM ${quoteIdent(t)}`)
      .map((r) => [JSON.stringify(r), r] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, r]) => r);
  const data = Object.fromEntries(tables.map((t) => [t, rows(t)]));
  return JSON.stringify({ schema, data });
}

/** Runs fn, expecting a 400 AppError; returns it for assertions on `data`. */
export async function expectAppError(fn: () => unknown): Promise<AppError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError, but the call succeeded');
}

/** Column names and declared types of a table. */
export const columnsOf = (db: SqlDb, table: string) =>
  db.all<{ name: string; type: string }>(`SELECT name, type FROM pragma_table_info(?)`, [table]);

/** Every row of a table in insertion order. */
export const rowsOf = (db: SqlDb, table: string) => db.all(`SELECT * FROM "${table}" ORDER BY rowid`);

/** A `posts` collection with a required text, a number and a multi select. */
export function createPosts(env: TestEnv) {
  return env.service.create({
    name: 'posts',
    fields: [
      { name: 'title', type: 'text', required: true },
      { name: 'views', type: 'number' },
      { name: 'tags', type: 'select', values: ['a', 'b', 'c'], maxSelect: 3 },
    ],
  });
}
