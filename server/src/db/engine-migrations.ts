/**
 * The system-table migrations on an `SqlEngine`, for either engine: the steps of
 * migration-steps.ts in version order, each in its own transaction with its `_migrations` row.
 * The applied set is re-read inside each step's transaction, and a transaction on Postgres first
 * takes the writer lock, so nodes starting together on an empty database apply each step once.
 * On Postgres the node setup (schema-version row, notify triggers) follows, when it is missing.
 */
import type { SqlEngine, SqlQueryable } from './engine.ts';
import { addUpdatedColumnSql, MIGRATION_NAMES, POSTGRES_NODE_SETUP, POSTGRES_NODE_TRIGGERS, POSTGRES_SQL, SQLITE_SQL, UPDATED_COLUMN_TABLES } from './migration-steps.ts';

type Step = (q: SqlQueryable) => Promise<void>;

const exec = (text: string): Step => (q) => q.exec(text);

async function columnsOf(q: SqlQueryable, table: string): Promise<string[]> {
  const rows =
    q.dialect.name === 'postgres'
      ? await q.all<{ name: string }>(
          'SELECT column_name AS "name" FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?',
          [table],
        )
      : await q.all<{ name: string }>('SELECT "name" FROM pragma_table_info(?)', [table]);
  return rows.map((r) => r.name);
}

/** Step 6 on either engine: `updated` on the plain auth tables that lack it. */
const updatedColumns: Step = async (q) => {
  for (const table of UPDATED_COLUMN_TABLES) {
    const cols = await columnsOf(q, table);
    if (cols.length === 0 || cols.includes('updated')) continue;
    await q.exec(addUpdatedColumnSql(table));
  }
};

const STEPS: Record<'sqlite' | 'postgres', Record<number, Step>> = {
  sqlite: { 1: exec(SQLITE_SQL[1]), 2: exec(SQLITE_SQL[2]), 3: exec(SQLITE_SQL[3]), 4: exec(SQLITE_SQL[4]), 5: exec(SQLITE_SQL[5]), 6: updatedColumns, 7: exec(SQLITE_SQL[7]) },
  postgres: {
    1: exec(POSTGRES_SQL[1]),
    2: exec(POSTGRES_SQL[2]),
    3: exec(POSTGRES_SQL[3]),
    4: exec(POSTGRES_SQL[4]),
    5: exec(POSTGRES_SQL[5]),
    6: updatedColumns,
    7: exec(POSTGRES_SQL[7]),
  },
};

const MIGRATIONS_TABLE = {
  sqlite: 'CREATE TABLE IF NOT EXISTS "_migrations" ("version" INTEGER PRIMARY KEY, "name" TEXT NOT NULL, "applied" TEXT NOT NULL)',
  postgres: 'CREATE TABLE IF NOT EXISTS "_migrations" ("version" BIGINT PRIMARY KEY NOT NULL, "name" TEXT NOT NULL, "applied" TEXT NOT NULL)',
};

/** Applies the pending system migrations; returns the versions applied now. */
export async function migrate(engine: SqlEngine): Promise<number[]> {
  const steps = STEPS[engine.kind];
  await engine.transaction((tx) => tx.exec(MIGRATIONS_TABLE[engine.kind]));
  const applied: number[] = [];
  for (const { version, name } of [...MIGRATION_NAMES].sort((a, b) => a.version - b.version)) {
    const step = steps[version];
    if (!step) throw new Error(`Migration ${version} has no ${engine.kind} step.`);
    const ran = await engine.transaction(async (tx) => {
      if (await tx.get('SELECT 1 AS "one" FROM "_migrations" WHERE "version" = ?', [version])) return false;
      await step(tx);
      await tx.run('INSERT INTO "_migrations" ("version", "name", "applied") VALUES (?, ?, ?)', [version, name, new Date().toISOString()]);
      return true;
    });
    if (ran) applied.push(version);
  }
  if (engine.kind === 'postgres') {
    await engine.transaction(async (tx) => {
      if (await nodeSetupMissing(tx)) await tx.exec(POSTGRES_NODE_SETUP);
    });
  }
  return applied;
}

/** True unless the schema-version row and every notify trigger are in place (then nothing is locked). */
async function nodeSetupMissing(q: SqlQueryable): Promise<boolean> {
  const row = await q.get<{ t: string | null }>(`SELECT to_regclass('"_schemaVersion"') AS "t"`);
  if (!row?.t || !(await q.get('SELECT 1 AS "one" FROM "_schemaVersion" WHERE "id" = 1'))) return true;
  const found = await q.all<{ tgname: string }>(
    `SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname IN (${POSTGRES_NODE_TRIGGERS.map(() => '?').join(', ')})`,
    [...POSTGRES_NODE_TRIGGERS],
  );
  return found.length < POSTGRES_NODE_TRIGGERS.length;
}
