/**
 * Engine-neutral reads of a test server's database for suites that check rows or the schema
 * directly (through `server.engine`, the async interface both engines implement): one value, and
 * a snapshot of the schema — SQLite's `sqlite_master`, PostgreSQL's catalog (tables with their
 * columns and types, indexes with their definitions) — to show that a refused change left it as
 * it was.
 */
import type { SqlEngine } from '../src/db/index.ts';

/** The first column of the first row (undefined when there is none). */
export async function scalar(engine: SqlEngine, sql: string, params: readonly unknown[] = []): Promise<unknown> {
  const row = await engine.get(sql, params);
  return row ? Object.values(row)[0] : undefined;
}

/** Every table, view, index and trigger of the database with its definition, in a stable order. */
export async function schemaSnapshot(engine: SqlEngine): Promise<unknown[]> {
  if (engine.kind === 'sqlite') return engine.all('SELECT name, sql FROM sqlite_master ORDER BY name');
  const columns = await engine.all(
    `SELECT table_name AS name, column_name AS col, data_type AS type, column_default AS dflt, is_nullable AS nullable
       FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
  );
  const indexes = await engine.all(`SELECT indexname AS name, indexdef AS sql FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`);
  const views = await engine.all(`SELECT viewname AS name, definition AS sql FROM pg_views WHERE schemaname = current_schema() ORDER BY viewname`);
  const triggers = await engine.all(
    `SELECT t.tgname AS name, c.relname AS "table" FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace ORDER BY t.tgname`,
  );
  return [...columns, ...indexes, ...views, ...triggers];
}

/** What `name` is in the database: 'table', 'view' or 'index' (undefined when nothing has that name). */
export async function relationKind(engine: SqlEngine, name: string): Promise<'table' | 'view' | 'index' | undefined> {
  if (engine.kind === 'sqlite') {
    const kind = await scalar(engine, "SELECT type FROM sqlite_master WHERE name = ? AND type IN ('table', 'view', 'index')", [name]);
    return kind as 'table' | 'view' | 'index' | undefined;
  }
  const kind = await scalar(engine, 'SELECT relkind FROM pg_class WHERE relname = ? AND relnamespace = current_schema()::regnamespace', [name]);
  return ({ r: 'table', v: 'view', i: 'index' } as Record<string, 'table' | 'view' | 'index'>)[kind as string];
}

/**
 * The names of a table's declared indexes, in name order: SQLite's with SQL text (not its
 * automatic ones), PostgreSQL's not backing a constraint (not the primary key).
 */
export async function indexNames(engine: SqlEngine, table: string): Promise<string[]> {
  const rows =
    engine.kind === 'sqlite'
      ? await engine.all("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name", [table])
      : await engine.all(
          `SELECT i.relname AS name FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relname = ? AND t.relnamespace = current_schema()::regnamespace
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY i.relname`,
          [table],
        );
  return rows.map((r) => String((r as { name: unknown }).name));
}

/** The names of every view in the database, in name order. */
export async function viewNames(engine: SqlEngine): Promise<string[]> {
  const rows =
    engine.kind === 'sqlite'
      ? await engine.all("SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name")
      : await engine.all('SELECT viewname AS name FROM pg_views WHERE schemaname = current_schema() ORDER BY viewname');
  return rows.map((r) => String((r as { name: unknown }).name));
}

/** A table's declared indexes (as `indexNames`) with the columns each covers, in order. */
export async function indexColumns(engine: SqlEngine, table: string): Promise<{ name: string; columns: string[] }[]> {
  if (engine.kind === 'sqlite') {
    const out: { name: string; columns: string[] }[] = [];
    for (const name of await indexNames(engine, table)) {
      const cols = await engine.all('SELECT name FROM pragma_index_info(?) ORDER BY seqno', [name]);
      out.push({ name, columns: cols.map((c) => String((c as { name: unknown }).name)) });
    }
    return out;
  }
  const rows = await engine.all(
    `SELECT i.relname AS name, a.attname AS col FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
       CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord) JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE t.relname = ? AND t.relnamespace = current_schema()::regnamespace
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY i.relname, k.ord`,
    [table],
  );
  const byName = new Map<string, string[]>();
  for (const r of rows as { name: string; col: string }[]) byName.set(r.name, [...(byName.get(r.name) ?? []), r.col]);
  return [...byName].map(([name, columns]) => ({ name, columns }));
}
