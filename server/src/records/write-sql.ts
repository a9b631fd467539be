/**
 * The SQL texts of a collection's INSERT and UPDATE, kept per collection version (the registry
 * makes a new object on every schema change) and column list: a write names the same columns
 * request after request, so its text is built (quoted, joined) once instead of per write.
 */
import type { Collection } from '../collections/model.ts';
import { quoteIdent } from '../db/sql.ts';

/** Column lists kept per collection version; a full map is dropped whole. */
export const MAX_WRITE_SHAPES = 256;

/** Per collection version, per kind of statement: texts by key. */
const texts = new WeakMap<Collection, Map<string, Map<string, string>>>();

function kept(collection: Collection, kind: string, key: string, build: () => string): string {
  let byKind = texts.get(collection);
  if (!byKind) texts.set(collection, (byKind = new Map()));
  let byKey = byKind.get(kind);
  if (!byKey) byKind.set(kind, (byKey = new Map()));
  // A key kept as the same string (a rule memo's SQL) is hashed once, not per write.
  let sql = byKey.get(key);
  if (sql === undefined) {
    sql = build();
    if (byKey.size >= MAX_WRITE_SHAPES) byKey.clear();
    byKey.set(key, sql);
  }
  return sql;
}

/** `INSERT INTO "c" (cols…) VALUES (?…) RETURNING *`. */
export function insertSql(collection: Collection, cols: string[]): string {
  return kept(collection, 'insert', cols.join('\u0000'), () =>
    `INSERT INTO ${quoteIdent(collection.name)} (${cols.map(quoteIdent).join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) RETURNING *`);
}

/** `UPDATE "c" SET col = ?… WHERE "id" = ? RETURNING *` (cols without `id`, non-empty). */
export function updateSql(collection: Collection, cols: string[]): string {
  return kept(collection, 'update', cols.join('\u0000'), () =>
    `UPDATE ${quoteIdent(collection.name)} SET ${cols.map((c) => `${quoteIdent(c)} = ?`).join(', ')} WHERE "id" = ? RETURNING *`);
}

/** A text derived from a rule's SQL (the rule memo keeps that text the same object per shape), kept by it. */
export function ruleSql(collection: Collection, kind: string, where: string, build: () => string): string {
  return kept(collection, kind, where, build);
}
