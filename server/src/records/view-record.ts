/** GET /records/{id}: one record under the viewRule; a hidden row is a 404, like a missing one. */
import { quoteIdent } from '../db/sql.ts';
import { get, type Steps } from '../db/steps.ts';
import { notFound } from '../shared/errors.ts';
import { authorize, type RequestInfo } from '../rules/index.ts';
import type { Collection, RuleName } from '../collections/model.ts';
import { readNowOf, type RecordsDeps } from './deps.ts';
import { superusersOnly } from './list-records.ts';
import { finishRecords, finishRecordsNow, type ReadOptions } from './read-options.ts';
import { serializeRecord, type ApiRecord, type Row } from './serialize.ts';

/** The row-by-id statement of each collection version, one string (the statement cache's key) for all. */
const byIdSql = new WeakMap<Collection, string>();

/** The statement reading the row if `rule` admits it for the caller; throws 403 (superusers only). */
function rowUnderRule(deps: RecordsDeps, collection: Collection, id: string, rule: RuleName, info: RequestInfo): [string, unknown[]] {
  const access = authorize({ registry: deps.registry, collection, rule, info });
  if (access.kind === 'superusers_only') throw superusersOnly();
  let sql = byIdSql.get(collection);
  if (sql === undefined) {
    sql = `SELECT t.* FROM ${quoteIdent(collection.name)} t WHERE t."id" = ?`;
    byIdSql.set(collection, sql);
  }
  const params: unknown[] = [id];
  if (access.kind === 'where') {
    sql += ` AND (${access.where.sql})`;
    params.push(...access.where.params);
  }
  return [sql, params];
}

/** Loads the raw row if `rule` admits it for the caller; throws 403 (superusers only) or 404. */
export async function loadRowUnderRule(
  deps: RecordsDeps,
  collection: Collection,
  id: string,
  rule: RuleName,
  info: RequestInfo,
): Promise<Row> {
  const [sql, params] = rowUnderRule(deps, collection, id, rule, info);
  const row = await deps.q.get<Row>(sql, params);
  if (!row) throw notFound();
  return row;
}

/** `loadRowUnderRule` as a step of a write. */
export function* rowUnderRuleSteps(deps: RecordsDeps, collection: Collection, id: string, rule: RuleName, info: RequestInfo): Steps<Row> {
  const [sql, params] = rowUnderRule(deps, collection, id, rule, info);
  const row = yield* get<Row>(sql, params);
  if (!row) throw notFound();
  return row;
}

/** On SQLite outside a write, in the caller's turn (a value, no promise); else through the engine. */
export function viewRecord(
  deps: RecordsDeps,
  collectionName: string,
  id: string,
  opts: ReadOptions,
  info: RequestInfo,
): ApiRecord | Promise<ApiRecord> {
  const collection = deps.registry.get(collectionName);
  const now = readNowOf(deps);
  if (!now) return viewAwaiting(deps, collection, id, opts, info);
  const [sql, params] = rowUnderRule(deps, collection, id, 'viewRule', info);
  const row = now.get<Row>(sql, params);
  if (!row) throw notFound();
  const records = finishRecordsNow(deps, collection, [serializeRecord(collection, row, info)], opts, info, now);
  return records instanceof Promise ? records.then((r) => r[0]!) : records[0]!;
}

async function viewAwaiting(deps: RecordsDeps, collection: Collection, id: string, opts: ReadOptions, info: RequestInfo): Promise<ApiRecord> {
  const row = await loadRowUnderRule(deps, collection, id, 'viewRule', info);
  const [record] = await finishRecords(deps, collection, [serializeRecord(collection, row, info)], opts, info);
  return record!;
}
