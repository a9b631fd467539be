/**
 * Expands relations of already-serialised records, one query per relation per level (never per
 * record): ids are gathered from every parent, fetched with `IN (json_each(?))` under the target's
 * viewRule, and attached. Back-relations (`comments_via_post`) work the same way in reverse.
 */
import { quoteIdent } from '../db/sql.ts';
import { sqliteDialect } from '../shared/dialect/index.ts';
import { findField, isMultiValued, type Collection, type Field } from '../collections/model.ts';
import { authorize, inContext, type RequestInfo } from '../rules/index.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import type { Steps } from '../db/steps.ts';
import { revealManagedEmails } from './managed-emails.ts';
import { serializeRecord, type ApiRecord, type Row } from './serialize.ts';

export type ExpandTree = { [name: string]: ExpandTree };

/** Back-relation expands return at most this many children per query, like PocketBase's cap. */
export const MAX_BACK_RELATION_ITEMS = 1000;

/** A unique index on exactly this one column (then a back-relation has at most one record). */
function hasSingleColumnUniqueIndex(collection: Collection, column: string): boolean {
  const ident = column.toLowerCase();
  return collection.indexes.some((sql) => {
    const m = /^\s*CREATE\s+UNIQUE\s+INDEX\b[^(]*\(([^)]*)\)/i.exec(sql);
    if (!m) return false;
    const cols = m[1]!.split(',').map((c) => c.trim().replace(/^[`"[]|[`"\]]$/g, '').split(/\s+/)[0]!.replace(/^[`"[]|[`"\]]$/g, '').toLowerCase());
    return cols.length === 1 && cols[0] === ident;
  });
}

/** What expanding needs: the schema (the reads are yielded, see db/steps.ts). */
export interface ExpandDeps {
  registry: CollectionRegistry;
}

export function* expandRecords(
  deps: ExpandDeps,
  collection: Collection,
  records: ApiRecord[],
  tree: ExpandTree,
  info: RequestInfo,
): Steps<void> {
  if (records.length === 0) return;
  for (const [name, subtree] of Object.entries(tree)) {
    const field = findField(collection, name);
    if (field) yield* expandForward(deps, collection, field, records, subtree, info);
    else yield* expandBack(deps, collection, name, records, subtree, info);
  }
}

function* fetchVisible(
  deps: ExpandDeps,
  target: Collection,
  where: string,
  params: unknown[],
  info: RequestInfo,
  limit?: number,
): Steps<ApiRecord[]> {
  const access = authorize({ registry: deps.registry, collection: target, rule: 'viewRule', info: inContext(info, 'expand') });
  if (access.kind === 'superusers_only') return [];
  let sql = `SELECT t.* FROM ${quoteIdent(target.name)} t WHERE ${where}`;
  const all = [...params];
  if (access.kind === 'where') {
    sql += ` AND (${access.where.sql})`;
    all.push(...access.where.params);
  }
  if (limit) sql += ` LIMIT ${limit}`;
  const rows: Row[] = yield { sql, params: all };
  const out = rows.map((row) => serializeRecord(target, row, info));
  yield* revealManagedEmails(deps, target, out, info);
  return out;
}

function attach(record: ApiRecord, name: string, value: unknown): void {
  const expand = (record.expand ??= {}) as Record<string, unknown>;
  expand[name] = value;
}

function* expandForward(
  deps: ExpandDeps,
  collection: Collection,
  field: Field,
  records: ApiRecord[],
  subtree: ExpandTree,
  info: RequestInfo,
): Steps<void> {
  // Like PocketBase, a path that is not a relation expands to nothing (no error).
  if (field.type !== 'relation' || !field.collectionId) return;
  if (field.hidden && !info.auth?.isSuperuser) return;
  const target = deps.registry.find(field.collectionId);
  if (!target) return;
  const ids = new Set<string>();
  for (const r of records) {
    const v = r[field.name];
    if (Array.isArray(v)) for (const id of v) ids.add(String(id));
    else if (typeof v === 'string' && v !== '') ids.add(v);
  }
  if (ids.size === 0) return;
  const items = (deps.registry.dialect ?? sqliteDialect).jsonParamItems;
  const children = yield* fetchVisible(deps, target, `t."id" IN (${items})`, [JSON.stringify([...ids])], info);
  yield* expandRecords(deps, target, children, subtree, info);
  const byId = new Map(children.map((c) => [c.id as string, c]));
  const multi = isMultiValued(field);
  for (const r of records) {
    const v = r[field.name];
    if (multi && Array.isArray(v)) {
      const found = v.map((id) => byId.get(String(id))).filter((x): x is ApiRecord => x !== undefined);
      if (found.length) attach(r, field.name, found);
    } else if (typeof v === 'string' && byId.has(v)) {
      attach(r, field.name, byId.get(v));
    }
  }
}

function* expandBack(
  deps: ExpandDeps,
  collection: Collection,
  name: string,
  records: ApiRecord[],
  subtree: ExpandTree,
  info: RequestInfo,
): Steps<void> {
  const m = /^(.+)_via_(.+)$/.exec(name);
  const source = m ? deps.registry.find(m[1]!) : undefined;
  const field = source && m ? findField(source, m[2]!) : undefined;
  if (!source || !field || field.type !== 'relation' || field.collectionId !== collection.id) return;
  if (field.hidden && !info.auth?.isSuperuser) return;
  const single = hasSingleColumnUniqueIndex(source, field.name);
  const parentIds = JSON.stringify(records.map((r) => r.id));
  const col = `t.${quoteIdent(field.name)}`;
  const multi = isMultiValued(field);
  const dialect = deps.registry.dialect ?? sqliteDialect;
  const where = multi
    ? `EXISTS (SELECT 1 FROM ${dialect.jsonEach(col, 'je')} WHERE je.value IN (${dialect.jsonParamItems}))`
    : `${col} IN (${dialect.jsonParamItems})`;
  const children = yield* fetchVisible(deps, source, where, [parentIds], info, MAX_BACK_RELATION_ITEMS);
  yield* expandRecords(deps, source, children, subtree, info);
  const byParent = new Map<string, ApiRecord[]>();
  for (const c of children) {
    const refs = c[field.name];
    const list = Array.isArray(refs) ? refs : [refs];
    for (const ref of list) {
      const key = String(ref);
      let arr = byParent.get(key);
      if (!arr) byParent.set(key, (arr = []));
      arr.push(c);
    }
  }
  for (const r of records) {
    const found = byParent.get(String(r.id));
    if (found?.length) attach(r, name, single ? found[0] : found);
  }
}
