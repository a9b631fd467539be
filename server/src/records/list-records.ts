/** GET /records: filter + rule in one WHERE, sort, page, optional total (kept while its table is unchanged, count-memo.ts), then expand/fields. */
import { quoteIdent } from '../db/sql.ts';
import { BUDGET_CHECK, ReadPoolUnavailable, type ReadPool } from '../db/read-pool.ts';
import type { SqlDb } from '../db/index.ts';
import type { Collection } from '../collections/model.ts';
import { forbidden } from '../shared/errors.ts';
import { authorize, compileExpression, compileSortFor, isSuperuser, superuserOnlyPart, type RequestInfo } from '../rules/index.ts';
import { readNowOf, type RecordsDeps } from './deps.ts';
import { parsePaging, type ListQuery } from './list-params.ts';
import { finishRecordsNow } from './read-options.ts';
import { serializeRecords, type ApiRecord, type Row } from './serialize.ts';
import { memoisable, recall, remember, type CompiledQuery, type ListTexts } from './query-memo.ts';
import { countOn } from './count-memo.ts';

export interface ListResult {
  page: number;
  perPage: number;
  totalItems: number;
  totalPages: number;
  items: ApiRecord[];
}

export const superusersOnly = () => forbidden('Only superusers can perform this action.');

/** A list request compiled to SQL: the page statement, its count, and how to finish the rows. */
interface ListPlan {
  collection: Collection;
  paging: ReturnType<typeof parsePaging>;
  table: string;
  conds: string[];
  params: unknown[];
  order: string;
  orderParams: unknown[];
  /** The client's filter or sort joins other tables: its cost is the client's to choose. */
  costly: boolean;
  /** Neither the rule nor the client's query reads a table other than the collection's own. */
  ownTableOnly: boolean;
  /** The inline page and count statements, kept with the compiled texts when no rule adds a condition. */
  texts: ListTexts | null;
}

function planList(deps: RecordsDeps, collectionName: string, q: ListQuery, info: RequestInfo): ListPlan {
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
  const ruleJoins = counter.n;
  const compiled = compileClientQuery(deps, collection, q, info, counter);
  const { filter, sort } = compiled;
  if (filter) {
    conds.push(`(${filter.sql})`);
    params.push(...filter.params);
  }
  const table = `${quoteIdent(collection.name)} t`;
  const order = sort ? ` ORDER BY ${sort.sql}` : '';
  // Without a rule's condition the statements depend only on the compiled texts: one SQL string
  // per memo entry, so the statement cache finds it without hashing a new string each time.
  const texts = access.kind === 'where' ? null : (compiled.texts ??= { page: pageText(table, conds, order), count: countText(table, conds) });
  return { collection, paging, table, conds, params, order, orderParams: sort?.params ?? [], costly: counter.n > ruleJoins, ownTableOnly: counter.n === 0, texts };
}

/** The client's filter and sort, from the memo when they depend only on the collection and the texts. */
function compileClientQuery(deps: RecordsDeps, collection: Collection, q: ListQuery, info: RequestInfo, counter: { n: number }): CompiledQuery {
  const filterText = q.filter ?? '';
  const sortText = q.sort ?? '';
  const privileged = isSuperuser(info);
  const memo = memoisable(collection, filterText, sortText);
  if (memo) {
    const known = recall(collection, privileged, filterText, sortText);
    if (known) return known;
  }
  const before = counter.n;
  const opts = { registry: deps.registry, collection, alias: 't', info, trusted: false, counter };
  const compiled = {
    filter: filterText ? compileExpression(filterText, opts) : null,
    sort: sortText ? compileSortFor(sortText, opts) : null,
  };
  // A join's aliases and guards depend on the request (its rule, the aliases taken before it).
  if (memo && counter.n === before) remember(collection, privileged, filterText, sortText, compiled);
  return compiled;
}

const whereOf = (conds: string[]) => (conds.length ? ` WHERE ${conds.join(' AND ')}` : '');

const pageText = (table: string, conds: string[], order: string): string => `SELECT t.* FROM ${table}${whereOf(conds)}${order} LIMIT ? OFFSET ?`;
const countText = (table: string, conds: string[]): string => `SELECT COUNT(*) AS n FROM ${table}${whereOf(conds)}`;

/** The page statement with `conds` (the plan's own, or with the read budget's check first). */
function pageSql(plan: ListPlan, conds: string[]): [string, unknown[]] {
  const offset = (plan.paging.page - 1) * plan.paging.perPage;
  const sql = conds === plan.conds && plan.texts ? plan.texts.page : pageText(plan.table, conds, plan.order);
  return [sql, [...plan.params, ...plan.orderParams, plan.paging.perPage, offset]];
}

const countSql = (plan: ListPlan, conds: string[]): string => (conds === plan.conds && plan.texts ? plan.texts.count : countText(plan.table, conds));

function finishList(deps: RecordsDeps, plan: ListPlan, rows: Row[], total: number | null, q: ListQuery, info: RequestInfo, now: SqlDb | null): ListResult | Promise<ListResult> {
  const { paging, collection } = plan;
  const totalItems = total ?? -1;
  const totalPages = total === null ? -1 : Math.ceil(total / paging.perPage);
  const records = serializeRecords(collection, rows, info);
  const done = (items: ApiRecord[]): ListResult => ({ page: paging.page, perPage: paging.perPage, totalItems, totalPages, items });
  const items = finishRecordsNow(deps, collection, records, q, info, now);
  return items instanceof Promise ? items.then(done) : done(items);
}

/** Lists on the calling thread: for trusted callers (hooks, export) and cheap client queries. */
export async function listRecords(deps: RecordsDeps, collectionName: string, q: ListQuery, info: RequestInfo): Promise<ListResult> {
  return listInline(deps, planList(deps, collectionName, q, info), q, info);
}

/** On SQLite outside a write, in the caller's turn (a value, no promise); else through the engine. */
function listInline(deps: RecordsDeps, plan: ListPlan, q: ListQuery, info: RequestInfo): ListResult | Promise<ListResult> {
  const [sql, params] = pageSql(plan, plan.conds);
  const now = readNowOf(deps);
  if (!now) return listAwaiting(deps, plan, sql, params, q, info);
  const rows = now.all<Row>(sql, params);
  const total = plan.paging.skipTotal ? null : countOn(now, plan.collection, countSql(plan, plan.conds), plan.params, plan.ownTableOnly);
  return finishList(deps, plan, rows, total, q, info, now);
}

async function listAwaiting(deps: RecordsDeps, plan: ListPlan, sql: string, params: unknown[], q: ListQuery, info: RequestInfo): Promise<ListResult> {
  const rows = await deps.q.all<Row>(sql, params);
  const total = plan.paging.skipTotal ? null : Number((await deps.q.get<{ n: number }>(countSql(plan, plan.conds), plan.params))?.n ?? 0);
  return finishList(deps, plan, rows, total, q, info, null);
}

/**
 * Lists for an HTTP client. A query whose filter or sort joins other tables runs on a read
 * worker within the query budget (db/read-pool.ts), so it cannot hold up other requests; the rest
 * run inline as `listRecords` does.
 */
export function listRecordsForClient(deps: RecordsDeps, collectionName: string, q: ListQuery, info: RequestInfo): ListResult | Promise<ListResult> {
  const plan = planList(deps, collectionName, q, info);
  const reads = deps.reads;
  // Inside a write (deps.q is its transaction) the rows must be read through it.
  if (!plan.costly || !reads?.available || deps.q !== deps.engine) return listInline(deps, plan, q, info);
  return listOnWorker(deps, plan, reads, q, info);
}

async function listOnWorker(deps: RecordsDeps, plan: ListPlan, reads: ReadPool, q: ListQuery, info: RequestInfo): Promise<ListResult> {
  const conds = reads.checksRows === false ? plan.conds : [BUDGET_CHECK, ...plan.conds];
  const [sql, params] = pageSql(plan, conds);
  let rows: Row[];
  let counted: unknown[] | null;
  try {
    [rows, counted] = await Promise.all([
      reads.all<Row>(sql, params),
      plan.paging.skipTotal ? Promise.resolve(null) : reads.pluck(countSql(plan, conds), plan.params),
    ]);
  } catch (err) {
    if (err instanceof ReadPoolUnavailable) return listInline(deps, plan, q, info);
    throw err;
  }
  // The registry may have moved on while the worker read; finish against the collection as planned.
  return finishList(deps, plan, rows, counted === null ? null : Number(counted[0] ?? 0), q, info, null);
}
