/**
 * `GET /api/collections` with PocketBase's list options: `filter` and `sort` over the collection
 * keys id, created, updated, name, system and type (compiled by query/ into parameterised SQL on
 * `_collections`), paging, and `fields` applied to the wire form. Unknown keys are a 400.
 */
import type { CollectionRegistry } from '../collections/registry.ts';
import { toWire } from '../collections/index.ts';
import type { SqlQueryable } from '../db/index.ts';
import { applyFields, compileFilter, compileSort, parseFields, parseSort, queryError, type FieldResolver } from '../query/index.ts';
import { parsePaging, type ListQuery } from '../records/index.ts';

/** The collection keys a list may filter and sort on (PocketBase's set). */
export const COLLECTION_LIST_KEYS = ['id', 'created', 'updated', 'name', 'system', 'type'] as const;

const resolver: FieldResolver = {
  resolve(id) {
    const [key, ...rest] = id.path;
    if (rest.length > 0 || id.modifier || !(COLLECTION_LIST_KEYS as readonly string[]).includes(key ?? '')) {
      throw queryError('filter', `unknown or unsupported field ${JSON.stringify(id.raw)}`);
    }
    return { kind: 'expr', sql: `"c"."${key}"`, params: [] };
  },
};

export interface CollectionList {
  page: number;
  perPage: number;
  totalItems: number;
  totalPages: number;
  items: unknown[];
}

/** Insertion order: SQLite's rowid; Postgres's `_collections` has none, so creation time then id. */
const insertionOrder = (q: SqlQueryable): string => (q.dialect.name === 'sqlite' ? '"c"._rowid_' : '"c"."created", "c"."id"');

export async function listCollections(q: SqlQueryable, registry: CollectionRegistry, query: ListQuery): Promise<CollectionList> {
  const { page, perPage, skipTotal } = parsePaging(query);
  const where = compileFilter(query.filter ?? '', resolver, { dialect: q.dialect });
  const rowid = insertionOrder(q);
  const order = compileSort(parseSort(query.sort ?? ''), resolver, { rowidSql: rowid });
  const projection = parseFields(query.fields ?? '');
  const orderBy = order.sql ? `${order.sql}, ${rowid}` : rowid;
  const rows = await q.all<{ id: string }>(
    `SELECT "c"."id" FROM "_collections" "c" WHERE ${where.sql} ORDER BY ${orderBy} LIMIT ? OFFSET ?`,
    [...where.params, ...order.params, perPage, (page - 1) * perPage],
  );
  const items = rows.flatMap(({ id }) => {
    const c = registry.find(id);
    return c ? [applyFields(toWire(c), projection)] : [];
  });
  if (skipTotal) return { page, perPage, totalItems: -1, totalPages: -1, items };
  const total = Number((await q.get<{ n: number }>(`SELECT count(*) AS n FROM "_collections" "c" WHERE ${where.sql}`, where.params))?.n ?? 0);
  return { page, perPage, totalItems: total, totalPages: Math.ceil(total / perPage), items };
}
