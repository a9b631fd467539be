/**
 * Evaluating a rule against one auth record: the collection's `authRule` (checked before any
 * token is issued: null = nobody, "" = everyone, else the record must match) and `mfa.rule`.
 * Both run through rules/ — the same compiler and `@request.*` context as every other rule.
 */
import { quoteIdent, type SqlQueryable } from '../db/index.ts';
import type { Collection } from '../collections/model.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import { authorize, compileExpression, type RequestInfo } from '../rules/index.ts';
import { forbidden } from '../shared/errors.ts';
import type { AuthRecord } from './auth-records.ts';

export interface RuleDeps {
  db: SqlQueryable;
  registry: CollectionRegistry;
}

async function rowMatches(deps: RuleDeps, collection: Collection, record: AuthRecord, where: { sql: string; params: unknown[] }): Promise<boolean> {
  const sql = `SELECT 1 AS ok FROM ${quoteIdent(collection.name)} t WHERE t."id" = ? AND (${where.sql}) LIMIT 1`;
  return (await deps.db.get(sql, [record.id, ...where.params])) !== undefined;
}

/** Throws 403 unless the collection's authRule admits `record` for this request. */
export async function assertAuthRule(deps: RuleDeps, collection: Collection, record: AuthRecord, info: RequestInfo): Promise<void> {
  const access = authorize({ registry: deps.registry, collection, rule: 'authRule', info });
  const ok = access.kind === 'all' || (access.kind === 'where' && (await rowMatches(deps, collection, record, access.where)));
  if (!ok) throw forbidden("The request doesn't satisfy the collection requirements to authenticate.");
}

/** True when a (trusted) filter expression matches the record; "" matches every record. */
export async function recordMatches(deps: RuleDeps, collection: Collection, record: AuthRecord, rule: string, info: RequestInfo): Promise<boolean> {
  const where = compileExpression(rule, { registry: deps.registry, collection, alias: 't', info, trusted: true });
  return where === null || (await rowMatches(deps, collection, record, where));
}
