/**
 * PocketBase shows an auth record's email to callers its collection's manageRule admits for that
 * record, whatever `emailVisibility` says — for returned and for expanded records, each under its
 * own collection's rule (a manager of one collection sees no more of another). One query per
 * collection and response: the ids of those records that lack their email and that the
 * manageRule admits, with their emails.
 */
import { quoteIdent } from '../db/sql.ts';
import { sqliteDialect } from '../shared/dialect/index.ts';
import type { Collection } from '../collections/model.ts';
import { authorize, type RequestInfo } from '../rules/index.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import type { Steps } from '../db/steps.ts';
import type { ApiRecord, Row } from './serialize.ts';

/** Whether `revealManagedEmails` may read anything for this collection and caller. */
export function revealsManagedEmails(collection: Collection, info: RequestInfo): boolean {
  if (collection.type !== 'auth' || !info.auth || info.auth.isSuperuser) return false;
  const rule = collection.auth?.manageRule;
  return typeof rule === 'string' && rule.trim() !== '';
}

export function* revealManagedEmails(deps: { registry: CollectionRegistry }, collection: Collection, records: ApiRecord[], info: RequestInfo): Steps<void> {
  if (!revealsManagedEmails(collection, info)) return;
  const hidden = records.filter((r) => !('email' in r));
  if (hidden.length === 0) return;
  const access = authorize({ registry: deps.registry, collection, rule: 'manageRule', info });
  if (access.kind === 'superusers_only') return;
  let sql = `SELECT t."id" AS id, t."email" AS email FROM ${quoteIdent(collection.name)} t WHERE t."id" IN (${(deps.registry.dialect ?? sqliteDialect).jsonParamItems})`;
  const params: unknown[] = [JSON.stringify(hidden.map((r) => r.id))];
  if (access.kind === 'where') {
    sql += ` AND (${access.where.sql})`;
    params.push(...access.where.params);
  }
  const rows: Row[] = yield { sql, params };
  const emails = new Map(rows.map((r) => [String(r.id), r.email]));
  for (const r of hidden) {
    const email = emails.get(String(r.id));
    if (email !== undefined) r.email = email;
  }
}
