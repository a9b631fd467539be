/**
 * System tables and shared state on both engines through `SqlEngine`: `migrate(engine)` creates
 * exactly the tables and columns of the drizzle schema of each dialect (types and nullability on
 * Postgres), runs once even when three nodes start together on an empty Postgres, gives a
 * database made by `hearth db copy` the same tables as a migrated one; the schema version and
 * cron tick claims behave the same on both; and on Postgres each committed `_changes` insert,
 * schema-version bump and settings write notifies, a rolled-back one does not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTableConfig as sqliteTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { getTableConfig as pgTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import {
  bumpSchemaVersionOn,
  CHANGES_CHANNEL,
  claimTickOn,
  listenPostgres,
  migrate,
  MIGRATION_NAMES,
  NOTES_CHANNEL,
  openDatabase,
  openPostgresEngine,
  postgresSystemSchema,
  readSchemaVersionOn,
  runMigrations,
  systemSchema,
  type SqlEngine,
} from '../../src/db/index.ts';
import { copySqliteToPostgres } from '../../src/copy/index.ts';
import { startBothEngines, START_TIMEOUT, type BothEngines } from './both-engines.ts';

let both: BothEngines;
const opened: SqlEngine[] = [];
const ALL_VERSIONS = MIGRATION_NAMES.map((m) => m.version);

beforeAll(async () => {
  both = await startBothEngines();
}, START_TIMEOUT);

afterAll(async () => {
  for (const e of opened) await e.close();
  await both?.close();
});

async function freshPostgres(name: string): Promise<SqlEngine> {
  const engine = openPostgresEngine(await both.pg.createDatabase(name));
  opened.push(engine);
  return engine;
}

const tablesOf = <T>(schema: Record<string, unknown>): T[] =>
  Object.values(schema).filter((v) => typeof v === 'object' && v !== null && 'getSQL' in v) as T[];

interface PgColumn {
  table: string;
  name: string;
  type: string;
  notNull: boolean;
}

async function pgColumns(engine: SqlEngine): Promise<PgColumn[]> {
  const rows = await engine.all<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
    `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name LIKE '\\_%' ORDER BY table_name, ordinal_position`,
  );
  return rows.map((r) => ({ table: r.table_name, name: r.column_name, type: r.data_type, notNull: r.is_nullable === 'NO' }));
}

describe('migrate on SQLite', () => {
  it('creates the drizzle schema, records every version, and is a no-op the second time', async () => {
    expect(await migrate(both.sqlite)).toEqual(ALL_VERSIONS);
    expect(await migrate(both.sqlite)).toEqual([]);
    for (const table of tablesOf<SQLiteTable>(systemSchema)) {
      const config = sqliteTableConfig(table);
      const actual = await both.sqlite.all<{ name: string }>('SELECT name FROM pragma_table_info(?) ORDER BY cid', [config.name]);
      expect(actual.map((c) => c.name), config.name).toEqual(config.columns.map((c) => c.name));
    }
    const versions = await both.sqlite.all<{ version: number }>('SELECT "version" FROM "_migrations" ORDER BY "version"');
    expect(versions.map((v) => v.version)).toEqual(ALL_VERSIONS);
  });

  it('produces the same tables as the synchronous runner', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-migrate-'));
    const db = openDatabase(join(dir, 'data.db'));
    try {
      runMigrations(db);
      const master = "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name";
      expect(await both.sqlite.all(master)).toEqual(db.all(master));
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('migrate on Postgres', () => {
  it('creates exactly the drizzle Postgres schema (columns, types, nullability) and runs once', async () => {
    const engine = await freshPostgres('migrate_once');
    expect(await migrate(engine)).toEqual(ALL_VERSIONS);
    expect(await migrate(engine)).toEqual([]);
    const actual = await pgColumns(engine);
    const expected: PgColumn[] = tablesOf<PgTable>(postgresSystemSchema).flatMap((t) => {
      const config = pgTableConfig(t);
      return config.columns.map((c) => ({ table: config.name, name: c.name, type: c.getSQLType(), notNull: c.notNull }));
    });
    const key = (c: PgColumn) => `${c.table}.${c.name}`;
    expect([...actual].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...expected].sort((a, b) => key(a).localeCompare(key(b))));
  });

  it('applies each step once when three nodes start together on an empty database', async () => {
    const url = await both.pg.createDatabase('migrate_race');
    const nodes = [0, 1, 2].map(() => openPostgresEngine(url));
    opened.push(...nodes);
    const applied = await Promise.all(nodes.map((n) => migrate(n)));
    expect(applied.flat().sort((a, b) => a - b)).toEqual(ALL_VERSIONS);
    expect(await nodes[0]!.all('SELECT "version" FROM "_migrations" ORDER BY "version"')).toEqual(ALL_VERSIONS.map((version) => ({ version })));
    expect(await readSchemaVersionOn(nodes[1]!)).toBe(0);
  });

  it('gives a database copied from SQLite the same system tables as a migrated one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-migrate-copy-'));
    const source = openDatabase(join(dir, 'data.db'));
    const copied = await freshPostgres('migrate_copied');
    const migrated = await freshPostgres('migrate_fresh');
    try {
      runMigrations(source);
      source.run('INSERT INTO "_changes" ("collectionId", "recordId", "action", "created") VALUES (?, ?, ?, ?)', ['c', 'r', 'create', 'now']);
      const report = await copySqliteToPostgres({ source, collections: [], target: copied });
      expect(report.countsMatch).toBe(true);
      expect(await migrate(copied)).toEqual([]);
      await migrate(migrated);
      expect(await pgColumns(copied)).toEqual(await pgColumns(migrated));
      // The copied log continues after the copied rows, and the copy got the node setup too.
      const next = await copied.get<{ seq: number }>(
        'INSERT INTO "_changes" ("collectionId", "recordId", "action", "created") VALUES (?, ?, ?, ?) RETURNING "seq"',
        ['c', 'r', 'update', 'now'],
      );
      expect(next?.seq).toBe(2);
      expect(await readSchemaVersionOn(copied)).toBe(0);
    } finally {
      source.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a second collection whose name differs only in case', async () => {
    const engine = await freshPostgres('migrate_nocase');
    await migrate(engine);
    const insert = 'INSERT INTO "_collections" ("id", "name", "type", "created", "updated") VALUES (?, ?, ?, ?, ?)';
    await engine.run(insert, ['a', 'posts', 'base', 'now', 'now']);
    await expect(engine.run(insert, ['b', 'Posts', 'base', 'now', 'now'])).rejects.toMatchObject({ name: 'AppError', code: 'validation' });
  });
});

describe('shared state on both engines', () => {
  for (const kind of ['sqlite', 'postgres'] as const) {
    it(`${kind}: the schema version moves with its transaction, and one process wins each tick`, async () => {
      const engine = kind === 'sqlite' ? both.sqlite : await freshPostgres('shared_state');
      await migrate(engine);
      const start = await readSchemaVersionOn(engine);
      expect(await engine.transaction((tx) => bumpSchemaVersionOn(tx))).toBe(start + 1);
      await expect(
        engine.transaction(async (tx) => {
          await bumpSchemaVersionOn(tx);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await readSchemaVersionOn(engine)).toBe(start + 1);

      const slot = Date.UTC(2026, 0, 1);
      const claims = await Promise.all(['a', 'b', 'c'].map((owner) => claimTickOn(engine, '@job', slot, owner)));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await claimTickOn(engine, '@job', slot + 60_000, 'b')).toBe(true);
    });
  }
});

describe('Postgres notifications', () => {
  it('notifies committed change-log inserts (the highest new seq), schema bumps and settings writes; not rolled-back ones', async () => {
    const url = await both.pg.createDatabase('notify');
    const engine = openPostgresEngine(url);
    opened.push(engine);
    await migrate(engine);
    const listener = listenPostgres(url, [CHANGES_CHANNEL, NOTES_CHANNEL]);
    const heard: string[] = [];
    listener.on(CHANGES_CHANNEL, (p) => heard.push(`seq ${p}`));
    listener.on(NOTES_CHANNEL, (p) => heard.push(p));
    await listener.ready;
    try {
      const insert = 'INSERT INTO "_changes" ("collectionId", "recordId", "action", "created") VALUES (?, ?, ?, ?)';
      await expect(
        engine.transaction(async (tx) => {
          await tx.run(insert, ['c', 'r0', 'create', 'now']);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await engine.transaction(async (tx) => {
        await tx.run(insert, ['c', 'r1', 'create', 'now']);
        await tx.run(`${insert}, (?, ?, ?, ?)`, ['c', 'r2', 'create', 'now', 'c', 'r3', 'create', 'now']);
      });
      await engine.transaction((tx) => bumpSchemaVersionOn(tx));
      await engine.run('INSERT INTO "_params" ("key", "value", "updated") VALUES (?, ?, ?)', ['settings', '{}', 'now']);
      await engine.run('INSERT INTO "_changes" ("collectionId", "recordId", "action", "created") VALUES (?, ?, ?, ?)', ['c', 'r4', 'create', 'now']);
      await waitFor(() => heard.length >= 5);
      // Seq 1 went to the rolled-back insert; notifications arrive in commit order.
      expect(heard).toEqual(['seq 2', 'seq 4', 'schema', 'settings', 'seq 5']);
    } finally {
      await listener.close();
    }
  });
});

async function waitFor(ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
