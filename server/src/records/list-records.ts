/** GET /records: filter + rule in one WHERE, sort, page, optional total, then expand/fields. */
import { quoteIdent } from '../db/sql.ts';
import { forbidden } from '../shared/errors.ts';
import { authorize, compileExpression, compileSortFor, isSuperuser, superuserOnlyPart, type RequestInfo } from '../rules/index.ts';
import type { RecordsDeps } from './deps.ts';
import { parsePaging, type ListQuery } from './list-params.ts';
import { finishRecords } from './read-options.ts';
import { serializeRecord, type ApiRecord, type Row } from './serialize.ts';

export interface ListResult {
  page: number;
  perPage: number;
  totalItems: number;
  totalPages: number;
  items: ApiRecord[];
}

export const superusersOnly = () => forbidden('Only superusers can perform this action.');

export function listRecords(deps: RecordsDeps, collectionName: string, q: ListQuery, info: RequestInfo): ListResult {
  const collection = deps.registry.get(collectionName);
  const paging = parsePaging(q);
  const counter = { n: 0 };
  const access = authorize({ registry: deps.registry, collection, rule: 'listRule', info, counter });
  if (access.kind === 'superusers_only') throw superusersOnly();
  if (!isSuperuser(info)) {
    // As PocketBase: clients filter and sort by the records, not by the request or other collections.
    const part = superuserOnlyPart(q.filter) ?? superuserOnlyPart(q.sort);
    if (part) throw forbidden(`Only superusers can filter by ${part}`);
  }

  const conds: string[] = [];
  const params: unknown[] = [];
  if (access.kind === 'where') {
    conds.push(`(${access.where.sql})`);
    params.push(...access.where.params);
  }
  const opts = { registry: deps.registry, collection, alias: 't', info, trusted: false, counter };
  if (q.filter) {
    const filter = compileExpression(q.filter, opts);
    if (filter) {
      conds.push(`(${filter.sql})`);
      params.push(...filter.params);
    }
  }
  const sort = q.sort ? compileSortFor(q.sort, opts) : null;
  const table = `${quoteIdent(collection.name)} t`;
  const where = conds.length ? ` WHERE ${conds.join(' AND ')}` : '';
  const order = sort ? ` ORDER BY ${sort.sql}` : '';
  const offset = (paging.page - 1) * paging.perPage;
  const rows = deps.db.all<Row>(`SELECT t.* FROM ${table}${where}${order} LIMIT ? OFFSET ?`, [
    ...params,
    ...(sort?.params ?? []),
    paging.perPage,
    offset,
  ]);

  let totalItems = -1;
  let totalPages = -1;
  if (!paging.skipTotal) {
    totalItems = Number(deps.db.pluck(`SELECT COUNT(*) FROM ${table}${where}`, params)[0] ?? 0);
    totalPages = Math.ceil(totalItems / paging.perPage);
  }
  const records = rows.map((row) => serializeRecord(collection, row, info));
  const items = finishRecords(deps, collection, records, q, info);
  return { page: paging.page, perPage: paging.perPage, totalItems, totalPages, items };
}
