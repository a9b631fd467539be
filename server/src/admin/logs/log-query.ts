/**
 * Reading the log: PocketBase's `/api/logs` list (page, perPage, skipTotal, sort, filter in the
 * query language), one entry by id, and hourly counts for the chart. Filters and sorts see the
 * columns id, created, level, message, data and any `data.<path>` (read with json_extract; the
 * path is a bound parameter).
 */
import type { SqlDb } from '../../db/index.ts';
import { notFound } from '../../shared/errors.ts';
import { compileFilter, compileSort, parseSort, queryError, type FieldResolver, type Identifier, type Resolved } from '../../query/index.ts';
import { parsePaging, type ListQuery } from '../../records/list-params.ts';

const COLUMNS = new Set(['id', 'created', 'level', 'message', 'data']);
/** `data.status`, `data.auth`, `data.meta.x:y` — PocketBase's logFilterFields pattern. */
const DATA_PATH = /^[\w:]+$/;

export interface LogRow {
  id: string;
  created: string;
  level: number;
  message: string;
  data: Record<string, unknown>;
}

export interface LogsPage {
  page: number;
  perPage: number;
  totalItems: number;
  totalPages: number;
  items: LogRow[];
}

export interface LogsStatsItem {
  date: string;
  total: number;
}

const logsResolver: FieldResolver = {
  resolve(id: Identifier): Resolved {
    const [head, ...rest] = id.path;
    if (id.modifier && id.modifier !== 'lower') throw queryError('filter', `unsupported modifier on "${id.raw}"`);
    let sql: string;
    let params: string[] = [];
    if (rest.length === 0 && head && COLUMNS.has(head)) sql = `"${head}"`;
    else if (head === 'data' && rest.length > 0 && rest.every((p) => DATA_PATH.test(p))) {
      sql = 'json_extract("data", ?)';
      params = [`$.${rest.map((p) => `"${p}"`).join('.')}`];
    } else throw queryError('filter', `unknown field "${id.raw}"`);
    return { kind: 'expr', sql: id.modifier === 'lower' ? `LOWER(${sql})` : sql, params };
  },
};

function where(filter: string | undefined): { sql: string; params: unknown[] } {
  const f = compileFilter(filter?.trim() ? filter : null, logsResolver);
  return { sql: f.sql, params: f.params };
}

const toRow = (r: Record<string, unknown>): LogRow => ({
  id: String(r.id),
  created: String(r.created),
  level: Number(r.level),
  message: String(r.message),
  data: JSON.parse(String(r.data || '{}')) as Record<string, unknown>,
});

export function listLogs(db: SqlDb, query: ListQuery): LogsPage {
  const paging = parsePaging(query);
  const w = where(query.filter);
  const sort = query.sort?.trim() ? compileSort(parseSort(query.sort), logsResolver) : { sql: '_rowid_ ASC', params: [] };
  const offset = (paging.page - 1) * paging.perPage;
  const items = db
    .all(`SELECT id, created, level, message, data FROM _logs WHERE ${w.sql} ORDER BY ${sort.sql} LIMIT ? OFFSET ?`, [...w.params, ...sort.params, paging.perPage, offset])
    .map(toRow);
  if (paging.skipTotal) return { page: paging.page, perPage: paging.perPage, totalItems: -1, totalPages: -1, items };
  const total = Number(db.pluck(`SELECT COUNT(*) FROM _logs WHERE ${w.sql}`, w.params)[0] ?? 0);
  return { page: paging.page, perPage: paging.perPage, totalItems: total, totalPages: Math.ceil(total / paging.perPage), items };
}

export function viewLog(db: SqlDb, id: string): LogRow {
  const row = db.get('SELECT id, created, level, message, data FROM _logs WHERE id = ?', [id]);
  if (!row) throw notFound("The requested resource wasn't found.");
  return toRow(row);
}

/** Counts per hour (`YYYY-MM-DD HH:00:00.000Z`), oldest first, of the entries the filter admits. */
export function logsStats(db: SqlDb, filter: string | undefined): LogsStatsItem[] {
  const w = where(filter);
  return db
    .all<{ date: string; total: number }>(
      `SELECT strftime('%Y-%m-%d %H:00:00.000Z', created) AS date, COUNT(*) AS total FROM _logs WHERE ${w.sql} GROUP BY date ORDER BY date`,
      w.params,
    )
    .map((r) => ({ date: r.date, total: Number(r.total) }));
}
