/**
 * Expands relations of already-serialised records, one query per relation per level (never per
 * record): ids are gathered from every parent, fetched with `IN (json_each(?))` under the target's
 * viewRule, and attached. Back-relations (`comments_via_post`) work the same way in reverse.
 * `expandRecords` yields its reads as steps (db/steps.ts); `expandRecordsNow` runs the same reads
 * on a synchronous connection without the step machinery for forward relations, the common case.
 * A read's statement text is kept per target collection version, query shape and rule SQL, so a
 * request only binds its values.
 */
import { quoteIdent } from '../db/sql.ts';
import type { SqlDb } from '../db/database.ts';
import { sqliteDialect, type Dialect } from '../shared/dialect/index.ts';
import { findField, isMultiValued, type Collection, type Field } from '../collections/model.ts';
import { versionMemo } from '../collections/version-memo.ts';
import { authorize, inContext, type RequestInfo } from '../rules/index.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import { runStepsSync, type Steps } from '../db/steps.ts';
import { revealManagedEmails, revealsManagedEmails } from './managed-emails.ts';
import { serializeRecords, type ApiRecord, type Row } from './serialize.ts';

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

/** One read of visible related records: its statement and values. */
interface VisibleRead {
  target: Collection;
  sql: string;
  params: unknown[];
}

/** Statement texts per target version and shape, then by rule SQL ('' for none); a full map is dropped whole. */
const TEXTS_PER_SHAPE = 64;
const texts = versionMemo<string, Map<string, string>>(TEXTS_PER_SHAPE);

/**
 * The read of `target`'s records matching `where` that the caller may view, or null when only
 * superusers may. `shape` names `where` and `limit` for the text memo: the same shape must
 * always build the same text for the same target version.
 */
function visibleRead(
  deps: ExpandDeps,
  target: Collection,
  shape: string,
  where: (dialect: Dialect) => string,
  params: unknown[],
  info: RequestInfo,
  limit?: number,
): VisibleRead | null {
  const access = authorize({ registry: deps.registry, collection: target, rule: 'viewRule', info: inContext(info, 'expand') });
  if (access.kind === 'superusers_only') return null;
  const rule = access.kind === 'where' ? access.where : null;
  const byRule = texts.getOr(target, shape, () => new Map());
  const ruleSql = rule ? rule.sql : '';
  let sql = byRule.get(ruleSql);
  if (sql === undefined) {
    sql = `SELECT t.* FROM ${quoteIdent(target.name)} t WHERE ${where(deps.registry.dialect ?? sqliteDialect)}`;
    if (rule) sql += ` AND (${rule.sql})`;
    if (limit) sql += ` LIMIT ${limit}`;
    if (byRule.size >= TEXTS_PER_SHAPE) byRule.clear();
    byRule.set(ruleSql, sql);
  }
  return { target, sql, params: rule && rule.params.length > 0 ? params.concat(rule.params) : params };
}

function* fetchVisible(deps: ExpandDeps, read: VisibleRead, info: RequestInfo): Steps<ApiRecord[]> {
  const rows: Row[] = yield { sql: read.sql, params: read.params };
  const out = serializeRecords(read.target, rows, info);
  yield* revealManagedEmails(deps, read.target, out, info);
  return out;
}

function attach(record: ApiRecord, name: string, value: unknown): void {
  const expand = (record.expand ??= {}) as Record<string, unknown>;
  expand[name] = value;
}

const byIdWhere = (dialect: Dialect): string => `t."id" IN (${dialect.jsonParamItems})`;

/** The read of a forward relation's targets, or null when there is nothing to expand. */
function forwardRead(deps: ExpandDeps, field: Field, records: ApiRecord[], info: RequestInfo): VisibleRead | null {
  // Like PocketBase, a path that is not a relation expands to nothing (no error).
  if (field.type !== 'relation' || !field.collectionId) return null;
  if (field.hidden && !info.auth?.isSuperuser) return null;
  const target = deps.registry.find(field.collectionId);
  if (!target) return null;
  const ids = new Set<string>();
  for (const r of records) {
    const v = r[field.name];
    if (Array.isArray(v)) for (const id of v) ids.add(String(id));
    else if (typeof v === 'string' && v !== '') ids.add(v);
  }
  if (ids.size === 0) return null;
  return visibleRead(deps, target, 'id', byIdWhere, [JSON.stringify([...ids])], info);
}

function attachForward(field: Field, records: ApiRecord[], children: ApiRecord[]): void {
  const byId = new Map<string, ApiRecord>();
  for (const c of children) byId.set(c.id as string, c);
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
    if (field) yield* expandForward(deps, field, records, subtree, info);
    else yield* expandBack(deps, collection, name, records, subtree, info);
  }
}

function* expandForward(deps: ExpandDeps, field: Field, records: ApiRecord[], subtree: ExpandTree, info: RequestInfo): Steps<void> {
  const read = forwardRead(deps, field, records, info);
  if (!read) return;
  const children = yield* fetchVisible(deps, read, info);
  yield* expandRecords(deps, read.target, children, subtree, info);
  attachForward(field, records, children);
}

/**
 * `runStepsSync(expandRecords(…), db)` with forward relations read straight from `db` (the same
 * statements, in the same order); back-relations still run as steps.
 */
export function expandRecordsNow(
  deps: ExpandDeps,
  db: SqlDb,
  collection: Collection,
  records: ApiRecord[],
  tree: ExpandTree,
  info: RequestInfo,
): void {
  if (records.length === 0) return;
  for (const name of Object.keys(tree)) {
    const subtree = tree[name]!;
    const field = findField(collection, name);
    if (!field) {
      runStepsSync(expandBack(deps, collection, name, records, subtree, info), db);
      continue;
    }
    const read = forwardRead(deps, field, records, info);
    if (!read) continue;
    const children = serializeRecords(read.target, db.all<Row>(read.sql, read.params), info);
    if (revealsManagedEmails(read.target, info)) runStepsSync(revealManagedEmails(deps, read.target, children, info), db);
    expandRecordsNow(deps, db, read.target, children, subtree, info);
    attachForward(field, records, children);
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
  const read = visibleRead(deps, source, `${multi ? 'm' : 's'}:${field.name}`, () => where, [parentIds], info, MAX_BACK_RELATION_ITEMS);
  const children = read ? yield* fetchVisible(deps, read, info) : [];
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
