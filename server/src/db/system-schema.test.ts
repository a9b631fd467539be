/** The drizzle description of the system tables matches what the migrations create. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { openDatabase } from './database.ts';
import { runMigrations } from './migrations.ts';
import * as schema from './system-schema.ts';

describe('system schema', () => {
  it('has exactly the columns the migrations create, for every system table', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-schema-'));
    const db = openDatabase(join(dir, 'data.db'));
    try {
      runMigrations(db);
      const tables = (Object.values(schema) as unknown[]).filter((v): v is SQLiteTable => typeof v === 'object' && v !== null && 'getSQL' in v);
      expect(tables.length).toBeGreaterThanOrEqual(9);
      for (const table of tables) {
        const config = getTableConfig(table);
        const actual = db.all<{ name: string }>(`SELECT name FROM pragma_table_info(?) ORDER BY cid`, [config.name]).map((c) => c.name);
        expect(actual, config.name).toEqual(config.columns.map((c) => c.name));
      }
      const migrated = db.pluck<string>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '\\_%' ESCAPE '\\' AND name != 'sqlite_sequence'`);
      expect(new Set(migrated)).toEqual(new Set(tables.map((t) => getTableConfig(t).name)));
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
