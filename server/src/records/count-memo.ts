/**
 * List totals kept while their table cannot have changed. A list's count statement that reads
 * only its collection's own table (no join, no `@collection`, not a view) gives the same number
 * for the same values until that table changes, and the connection's write mark
 * (db/database.ts `writeMark`) moves with every write by this connection to the table and with
 * every commit by any other: a kept total is answered only under the mark it was read under. No
 * mark (a transaction open, triggers or foreign keys in the schema, the database busy) reads
 * the count every time. Entries live with the collection object (a new one per schema change).
 */
import type { SqlDb } from '../db/index.ts';
import type { Collection } from '../collections/model.ts';
import { versionMemo } from '../collections/version-memo.ts';

/** Count statements kept per collection version, and totals per statement; a full map is dropped whole. */
export const COUNTS_PER_STATEMENT = 256;

interface Kept {
  mark: string;
  n: number;
}

/** Per collection version and count statement: totals by the statement's values. */
const memo = versionMemo<string, Map<string, Kept>>(COUNTS_PER_STATEMENT);

/** The key of a statement's values; undefined for values that are not plain JSON (then nothing is kept). */
function keyOf(params: readonly unknown[]): string | undefined {
  for (const p of params) if (p !== null && typeof p !== 'string' && typeof p !== 'number' && typeof p !== 'boolean') return undefined;
  return JSON.stringify(params);
}

const read = (db: SqlDb, sql: string, params: readonly unknown[]): number => Number(db.get<{ n: number }>(sql, params)?.n ?? 0);

/**
 * The count `sql` (one row, column `n`) gives on `db`. `ownTableOnly`: the statement reads no
 * table but `collection`'s, so its total may be kept under the table's write mark.
 */
export function countOn(db: SqlDb, collection: Collection, sql: string, params: readonly unknown[], ownTableOnly: boolean): number {
  if (!ownTableOnly || collection.type === 'view') return read(db, sql, params);
  const key = keyOf(params);
  const mark = key === undefined ? null : db.writeMark(collection.name);
  if (mark === null || key === undefined) return read(db, sql, params);
  const kept = memo.getOr(collection, sql, () => new Map());
  const hit = kept.get(key);
  if (hit && hit.mark === mark) return hit.n;
  const n = read(db, sql, params);
  if (kept.size >= COUNTS_PER_STATEMENT) kept.clear();
  kept.set(key, { mark, n });
  return n;
}
