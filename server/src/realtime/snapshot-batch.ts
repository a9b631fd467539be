/**
 * What a batch of row snapshots is, whichever way its conditions run (a TEMP table,
 * snapshot-table.ts; a JSON parameter, snapshot-values.ts): the snapshots in order, keyed 0, 1,
 * 2…, and each distinct condition's verdict memoised by its key (its SQL text and params unless
 * the caller names one) until a snapshot is added. An engine supplies only how a condition is
 * answered.
 */
import type { Collection } from '../collections/model.ts';
import type { SqlFragment } from '../query/resolver.ts';
import type { Row } from './change-feed.ts';

export interface SnapshotBatch {
  /** Adds a snapshot; returns its key (0, 1, 2…) for `matching`. Written to SQL only if a query needs it. */
  add(row: Row): number;
  /** The snapshot behind a key. */
  row(key: number): Row;
  readonly size: number;
  /** Keys of the snapshots for which `where` holds (memoised by `key`, default SQL text and params). */
  matching(where: SqlFragment, key?: string): Set<number>;
  /** Engines whose reads are promises (snapshot-values.ts): runs these conditions now, so `matching` answers them from memory. */
  prefetch?(wheres: ReadonlyArray<{ where: SqlFragment; key?: string }>): Promise<void>;
  /** Removes the batch's snapshots. Always call (use try/finally). */
  clear(): void;
}

export interface SnapshotTables {
  open(collection: Collection): SnapshotBatch;
  /** Columns of the collection's table with TEXT affinity. */
  textColumns(collection: Collection): ReadonlySet<string>;
  /** Engines whose reads are promises: reads the collection's columns before `open`/`textColumns`. */
  load?(collection: Collection): Promise<void>;
}

/** How one engine answers conditions over a batch's snapshots (`rows`, in key order). */
export interface BatchEngine {
  /** A condition not in the memo, asked synchronously: its verdict (memoised by the batch). */
  answer(rows: readonly Row[], where: SqlFragment): Set<number>;
  /** Verdicts of the conditions not yet memoised (by key), in order; given, `prefetch` runs them. */
  fetch?(rows: readonly Row[], wheres: SqlFragment[]): Promise<Set<number>[]>;
  /** Called by `clear` before the snapshots are dropped. */
  clear?(): void;
}

export const memoKey = (f: SqlFragment): string => f.sql + '\u0000' + JSON.stringify(f.params);

export function snapshotBatch(engine: BatchEngine): SnapshotBatch {
  const rows: Row[] = [];
  const memo = new Map<string, Set<number>>();
  const { fetch } = engine;
  const batch: SnapshotBatch = {
    add(row) {
      rows.push(row);
      memo.clear();
      return rows.length - 1;
    },
    row: (key) => rows[key]!,
    get size() {
      return rows.length;
    },
    matching(where, key = memoKey(where)) {
      let hit = memo.get(key);
      if (!hit) memo.set(key, (hit = engine.answer(rows, where)));
      return hit;
    },
    clear() {
      engine.clear?.();
      rows.length = 0;
      memo.clear();
    },
  };
  if (fetch) {
    batch.prefetch = async (wheres) => {
      const todo = new Map<string, SqlFragment>();
      for (const { where, key = memoKey(where) } of wheres) if (!memo.has(key)) todo.set(key, where);
      if (todo.size === 0 || rows.length === 0) return;
      const keys = [...todo.keys()];
      const sets = await fetch(rows, [...todo.values()]);
      keys.forEach((key, i) => memo.set(key, sets[i]!));
    };
  }
  return batch;
}
