/**
 * Copies a Hearth SQLite database into an empty PostgreSQL database: system tables (generic
 * DDL from the SQLite schema, see postgres-ddl.ts) and collection tables (the collection DDL in
 * the Postgres dialect, `_rowid_` carrying each row's rowid), then their indexes, all in one
 * Postgres transaction — a failed copy leaves the target as it was. After the commit every
 * table's row count is compared on both sides. View collections are reported, not copied: their
 * query is SQLite SQL.
 */
import type { SqlDb, SqlEngine, SqlQueryable } from '../db/index.ts';
import { quoteIdent } from '../db/sql.ts';
import type { Collection } from '../collections/model.ts';
import { columnKindOf } from '../collections/ddl/column-kind.ts';
import { createTableSql } from '../collections/ddl/table-sql.ts';
import { postgresDialect } from '../shared/dialect/index.ts';
import { describeSystemTable, indexSqlForPostgres, type SourceTable } from './postgres-ddl.ts';

/** Rows per INSERT: well under Postgres's 65535 parameters for any collection width we allow. */
export const COPY_BATCH_ROWS = 200;

export interface CopyTableCount {
  name: string;
  kind: 'system' | 'collection';
  source: number;
  target: number;
}

export interface CopyReport {
  tables: CopyTableCount[];
  /** Things not carried over (views, indexes Postgres refused), one line each. */
  warnings: string[];
  /** True when every table has the same row count on both sides. */
  countsMatch: boolean;
}

export interface CopyOptions {
  source: SqlDb;
  collections: Collection[];
  target: SqlEngine;
  /** Called once before copying with the total number of rows. */
  onStart?(totalRows: number): void;
  /** Called after each batch. */
  onRows?(table: string, rows: number): void;
}

const PG_KIND_TYPE = { text: 'TEXT', textPrimaryKey: 'TEXT', number: 'DOUBLE PRECISION', bool: 'BOOLEAN', json: 'JSONB', jsonList: 'JSONB' } as const;

function collectionTable(c: Collection): SourceTable {
  return {
    name: c.name,
    columns: [...c.fields.map((f) => ({ name: f.name, pgType: PG_KIND_TYPE[columnKindOf(f)] })), { name: '_rowid_', pgType: 'BIGINT' }],
    createSql: createTableSql(c.name, c.fields, postgresDialect),
    identity: '_rowid_',
    hasRowid: true,
    orderBy: 'rowid',
  };
}

/** Source text that the target type cannot take as it is: '' in a json column means no value. */
function targetValue(value: unknown, pgType: string): unknown {
  if (pgType === 'JSONB' && value === '') return null;
  return value;
}

const causeOf = (err: unknown): string => {
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error ? cause.message : err instanceof Error ? err.message : String(err);
};

async function copyRows(source: SqlDb, tx: SqlQueryable, table: SourceTable, onRows?: CopyOptions['onRows']): Promise<void> {
  const selectCols = table.columns.map((c) => (c.name === '_rowid_' ? 'rowid AS "_rowid_"' : quoteIdent(c.name))).join(', ');
  const keyed = table.hasRowid;
  const select = keyed
    ? `SELECT rowid AS "__k", ${selectCols} FROM ${quoteIdent(table.name)} WHERE rowid > ? ORDER BY rowid LIMIT ${COPY_BATCH_ROWS}`
    : `SELECT ${selectCols} FROM ${quoteIdent(table.name)} ORDER BY ${table.orderBy} LIMIT ${COPY_BATCH_ROWS} OFFSET ?`;
  const override = table.identity ? ' OVERRIDING SYSTEM VALUE' : '';
  const head = `INSERT INTO ${quoteIdent(table.name)} (${table.columns.map((c) => quoteIdent(c.name)).join(', ')})${override} VALUES `;
  const tuple = `(${table.columns.map(() => '?').join(', ')})`;
  let after = keyed ? Number.MIN_SAFE_INTEGER : 0;
  for (;;) {
    const rows = source.all<Record<string, unknown>>(select, [after]);
    if (rows.length === 0) break;
    const params = rows.flatMap((row) => table.columns.map((c) => targetValue(row[c.name], c.pgType)));
    try {
      await tx.run(head + rows.map(() => tuple).join(', '), params);
    } catch (err) {
      throw new Error(`Copying table "${table.name}" failed: ${causeOf(err)}`, { cause: err });
    }
    after = keyed ? Number(rows[rows.length - 1]!.__k) : after + rows.length;
    onRows?.(table.name, rows.length);
  }
  if (table.identity) {
    const seq = `pg_get_serial_sequence('${quoteIdent(table.name).replaceAll("'", "''")}', '${table.identity}')`;
    await tx.run(`SELECT setval(${seq}, COALESCE((SELECT MAX(${quoteIdent(table.identity)}) FROM ${quoteIdent(table.name)}), 0) + 1, false)`);
  }
}

const countOf = async (db: SqlQueryable, name: string): Promise<number> =>
  Number((await db.get<{ c: number }>(`SELECT COUNT(*) AS c FROM ${quoteIdent(name)}`))!.c);

export async function copySqliteToPostgres(options: CopyOptions): Promise<CopyReport> {
  const { source, target } = options;
  const warnings: string[] = [];
  const byName = new Map(options.collections.map((c) => [c.name, c]));
  const master = source.all<{ type: string; name: string; tbl_name: string; sql: string | null }>(
    "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY CASE type WHEN 'table' THEN 0 ELSE 1 END, rowid",
  );
  const tables: (SourceTable & { kind: CopyTableCount['kind'] })[] = [];
  for (const m of master.filter((r) => r.type === 'table')) {
    const c = byName.get(m.name);
    tables.push(c ? { ...collectionTable(c), kind: 'collection' } : { ...describeSystemTable(source, m.name, m.sql ?? ''), kind: 'system' });
  }
  for (const c of options.collections) if (c.type === 'view') warnings.push(`view collection "${c.name}" not copied: create it again with a Postgres query`);

  const existing = [];
  for (const t of tables) if ((await target.get<{ t: string | null }>('SELECT to_regclass(?) AS t', [quoteIdent(t.name)]))?.t) existing.push(t.name);
  if (existing.length > 0) throw new Error(`The target database already has tables: ${existing.join(', ')}. Copy into an empty database.`);

  const sourceCounts = new Map(tables.map((t) => [t.name, Number(source.get<{ c: number }>(`SELECT COUNT(*) AS c FROM ${quoteIdent(t.name)}`)!.c)]));
  options.onStart?.([...sourceCounts.values()].reduce((a, b) => a + b, 0));

  await target.transaction(async (tx) => {
    for (const t of tables) await tx.exec(t.createSql);
    for (const t of tables) await copyRows(source, tx, t, options.onRows);
    for (const index of master.filter((r) => r.type === 'index' && r.sql)) {
      const sql = indexSqlForPostgres(index.sql!, tables.find((t) => t.name === index.tbl_name)?.columns.map((c) => c.name));
      await tx.savepoint((sp) => sp.exec(sql)).catch((err: unknown) => warnings.push(`index "${index.name}" not created: ${causeOf(err)}`));
    }
  });

  const counts: CopyTableCount[] = [];
  for (const t of tables) counts.push({ name: t.name, kind: t.kind, source: sourceCounts.get(t.name)!, target: await countOf(target, t.name) });
  return { tables: counts, warnings, countsMatch: counts.every((c) => c.source === c.target) };
}
