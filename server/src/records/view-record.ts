/** GET /records/{id}: one record under the viewRule; a hidden row is a 404, like a missing one. */
import { quoteIdent } from '../db/sql.ts';
import { notFound } from '../shared/errors.ts';
import { authorize, type RequestInfo } from '../rules/index.ts';
import type { Collection, RuleName } from '../collections/model.ts';
import type { RecordsDeps } from './deps.ts';
import { superusersOnly } from './list-records.ts';
import { finishRecords, type ReadOptions } from './read-options.ts';
import { serializeRecord, type ApiRecord, type Row } from './serialize.ts';

/** Loads the raw row if `rule` admits it for the caller; throws 403 (superusers only) or 404. */
export async function loadRowUnderRule(
  deps: RecordsDeps,
  collection: Collection,
  id: string,
  rule: RuleName,
  info: RequestInfo,
): Promise<Row> {
  const access = authorize({ registry: deps.registry, collection, rule, info });
  if (access.kind === 'superusers_only') throw superusersOnly();
  let sql = `SELECT t.* FROM ${quoteIdent(collection.name)} t WHERE t."id" = ?`;
  const params: unknown[] = [id];
  if (access.kind === 'where') {
    sql += ` AND (${access.where.sql})`;
    params.push(...access.where.params);
  }
  const row = await deps.q.get<Row>(sql, params);
  if (!row) throw notFound();
  return row;
}

export async function viewRecord(
  deps: RecordsDeps,
  collectionName: string,
  id: string,
  opts: ReadOptions,
  info: RequestInfo,
): Promise<ApiRecord> {
  const collection = deps.registry.get(collectionName);
  const row = await loadRowUnderRule(deps, collection, id, 'viewRule', info);
  const [record] = await finishRecords(deps, collection, [serializeRecord(collection, row, info)], opts, info);
  return record!;
}
