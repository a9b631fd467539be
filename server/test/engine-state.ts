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
