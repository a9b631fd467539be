/**
 * The SQL texts of a collection's INSERT and UPDATE, kept per collection version (the registry
 * makes a new object on every schema change) and column list: a write names the same columns
 * request after request, so its text is built (quoted, joined) once instead of per write.
 */
import type { Collection } from '../collections/model.ts';
import { versionMemo, type VersionMemo } from '../collections/version-memo.ts';
import { quoteIdent } from '../db/sql.ts';

/** Column lists kept per collection version; a full map is dropped whole. */
export const MAX_WRITE_SHAPES = 256;

/** Per kind of statement: texts by key, per collection version. */
const texts = new Map<string, VersionMemo<string, string>>();

function kept(collection: Collection, kind: string, key: string, build: () => string): string {
  let memo = texts.get(kind);
  if (!memo) texts.set(kind, (memo = versionMemo(MAX_WRITE_SHAPES)));
  // A key kept as the same string (a rule memo's SQL) is hashed once, not per write.
  return memo.getOr(collection, key, build);
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
