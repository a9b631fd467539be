/**
 * Opens a baseline's SQLite file with exactly Hearth's pragmas (server/src/db/database.ts),
 * creates the bench tables from scenarios/schema.ts and loads the seed rows in one transaction.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { COLLECTIONS, USERS, type BenchCollection } from '../scenarios/schema.ts';
import type { Dataset } from '../scenarios/dataset.ts';

export function openBaselineDb(dir: string): Database.Database {
  const db = new Database(join(dir, 'data.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -4000');
  db.pragma('journal_size_limit = 67108864');
  return db;
}

/** Column order = wire order: id, the collection's fields, created, updated. */
export function columnsOf(c: BenchCollection): string[] {
  return ['id', ...c.fields.map((f) => f.name), 'created', 'updated'];
}

function tableDdl(c: BenchCollection): string {
  const cols = c.fields.map((f) =>
    f.type === 'number' ? `"${f.name}" NUMERIC DEFAULT 0 NOT NULL` : `"${f.name}" TEXT DEFAULT '' NOT NULL`,
  );
  return `CREATE TABLE "${c.name}" ("id" TEXT PRIMARY KEY NOT NULL, ${cols.join(', ')}, "created" TEXT DEFAULT '' NOT NULL, "updated" TEXT DEFAULT '' NOT NULL)`;
}

export function createTablesAndSeed(db: Database.Database, data: Dataset, stamp: string): void {
  const all = [USERS, ...COLLECTIONS];
  db.transaction(() => {
    for (const c of all) {
      db.exec(tableDdl(c));
      for (const idx of c.indexes) db.exec(idx);
    }
    for (const c of all) {
      const cols = columnsOf(c);
      const insert = db.prepare(
        `INSERT INTO "${c.name}" (${cols.map((x) => `"${x}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
      );
      for (const row of data.rows[c.name] ?? []) {
        insert.run(...cols.map((k) => (k === 'created' || k === 'updated' ? stamp : (row[k] ?? ''))));
      }
    }
  })();
}
