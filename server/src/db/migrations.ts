/**
 * Versioned migrations of the system tables. Each runs once, in its own transaction, in order;
 * the applied versions are recorded in `_migrations`. The SQL of each step is in
 * migration-steps.ts (beside Postgres's); engine-migrations.ts runs the same steps on an SqlEngine.
 */
import type { SqlDb } from './database.ts';
import { addUpdatedColumnSql, MIGRATION_NAMES, SQLITE_SQL, UPDATED_COLUMN_TABLES } from './migration-steps.ts';

export interface Migration {
  version: number;
  name: string;
  up: (db: SqlDb) => void;
}

const sql = (version: 1 | 2 | 3 | 4 | 5 | 7) => (db: SqlDb) => db.exec(SQLITE_SQL[version]);
const name = (version: number): string => MIGRATION_NAMES.find((m) => m.version === version)!.name;

export const SYSTEM_MIGRATIONS: Migration[] = [
  { version: 1, name: name(1), up: sql(1) },
  { version: 2, name: name(2), up: sql(2) },
  { version: 3, name: name(3), up: sql(3) },
  { version: 4, name: name(4), up: sql(4) },
  { version: 5, name: name(5), up: sql(5) },
  {
    version: 6,
    name: name(6),
    // They become system collections (collections/auth-system-collections.ts), whose rows carry
    // `updated` like every record. Skipped where a collection table already has the column.
    up: (db) => {
      for (const table of UPDATED_COLUMN_TABLES) {
        const cols = db.all<{ name: string }>(`PRAGMA table_info("${table}")`).map((c) => c.name);
        if (cols.length === 0 || cols.includes('updated')) continue;
        db.exec(addUpdatedColumnSql(table));
      }
    },
  },
  { version: 7, name: name(7), up: sql(7) },
];

export function runMigrations(db: SqlDb, migrations: Migration[] = SYSTEM_MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS "_migrations" ("version" INTEGER PRIMARY KEY, "name" TEXT NOT NULL, "applied" TEXT NOT NULL)`);
  const done = new Set(db.pluck<number>('SELECT "version" FROM "_migrations"'));
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      m.up(db);
      db.run('INSERT INTO "_migrations" ("version", "name", "applied") VALUES (?, ?, ?)', [
        m.version,
        m.name,
        new Date().toISOString(),
      ]);
    });
    applied.push(m.version);
  }
  return applied;
}
