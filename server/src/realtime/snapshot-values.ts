/**
 * Rule and filter checks against row snapshots on an engine whose reads are promises
 * (PostgreSQL), the counterpart of snapshot-table.ts. No table is written: a batch's snapshots go
 * as one JSON parameter, typed row by row as the collection's table (`json_populate_recordset`
 * with the table's row type, so comparisons follow the real columns' types), and every distinct
 * condition of the batch runs over them in one statement per `PG_CONDITIONS_PER_QUERY`:
 * `WITH t AS (…) SELECT 0 AS c, t."_rt_key" AS k FROM t WHERE (cond0) UNION ALL SELECT 1, …`.
 * The fan-out calls `prefetch` with the conditions it will ask about, then `matching` answers
 * from memory in the same turn as the delivery. A statement that fails is retried condition by
 * condition; a condition that still fails (a schema changed under it) matches nothing, logged.
 */
import type { Collection } from '../collections/model.ts';
import { quoteIdent } from '../db/sql.ts';
import type { SqlQueryable } from '../db/index.ts';
import { all, runSteps, type Steps } from '../db/steps.ts';
import type { SqlFragment } from '../query/resolver.ts';
import type { Logger } from '../shared/logger.ts';
import type { Row } from './change-feed.ts';
import { hasTextAffinity } from './memory-condition.ts';
import { snapshotBatch, type SnapshotBatch, type SnapshotTables } from './snapshot-batch.ts';

/** Distinct conditions per statement (each adds one UNION ALL arm). */
export const PG_CONDITIONS_PER_QUERY = 64;
/** The snapshot's position in the batch; not a name a collection field can take (they start with a letter). */
const KEY = '_rt_key';

interface Shape {
  /** `t` with every column of the table and the snapshot's key. */
  source: string;
  columns: string[];
  /** jsonb/json columns: the stored text is parsed back to the JSON value it holds. */
  jsonColumns: Set<string>;
  textColumns: Set<string>;
}

function* shapeSteps(collection: Collection): Steps<Shape> {
  const info = yield* all<{ name: string; type: string }>(
    `SELECT a.attname AS "name", format_type(a.atttypid, a.atttypmod) AS "type" FROM pg_attribute a
     WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [quoteIdent(collection.name)],
  );
  const columns = info.map((c) => c.name);
  const names = [...columns, KEY].map(quoteIdent).join(', ');
  return {
    source: `WITH t AS (SELECT * FROM json_populate_recordset(NULL::${quoteIdent(collection.name)}, CAST(? AS JSON)) WITH ORDINALITY AS r(${names}))`,
    columns,
    jsonColumns: new Set(info.filter((c) => c.type === 'jsonb' || c.type === 'json').map((c) => c.name)),
    textColumns: new Set(info.filter((c) => hasTextAffinity(c.type)).map((c) => c.name)),
  };
}

function toJsonRow(shape: Shape, row: Row): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of shape.columns) {
    let v: unknown = row[c] ?? null;
    if (typeof v === 'string' && shape.jsonColumns.has(c)) {
      try {
        v = JSON.parse(v) as unknown;
      } catch {
        // Not JSON text: kept as the string it is.
      }
    }
    out[c] = v;
  }
  return out;
}

/** Rows `{ c, k }`: condition `c` (its position in `wheres`) admits snapshot `k`. */
function* verdictSteps(shape: Shape, rowsJson: string, wheres: SqlFragment[]): Steps<Array<{ c: number; k: number }>> {
  const arms = wheres.map((w, i) => `SELECT ${i} AS "c", t.${quoteIdent(KEY)} - 1 AS "k" FROM t WHERE (${w.sql})`);
  return yield* all<{ c: number; k: number }>(`${shape.source} ${arms.join(' UNION ALL ')}`, [rowsJson, ...wheres.flatMap((w) => w.params)]);
}

export function createSnapshotValues(q: SqlQueryable, logger: Logger): SnapshotTables {
  const shapes = new WeakMap<Collection, Shape>();
  const shapeOf = (collection: Collection): Shape => {
    const shape = shapes.get(collection);
    if (!shape) throw new Error(`realtime: the snapshot shape of "${collection.name}" was not loaded`);
    return shape;
  };

  async function verdicts(shape: Shape, rowsJson: string, wheres: SqlFragment[]): Promise<Set<number>[]> {
    const out = wheres.map(() => new Set<number>());
    try {
      for (const { c, k } of await runSteps(verdictSteps(shape, rowsJson, wheres), q)) out[Number(c)]!.add(Number(k));
      return out;
    } catch (err) {
      if (wheres.length === 1) {
        logger.warn('realtime: a subscription condition failed on the snapshots; it matches nothing in this batch', err);
        return out;
      }
    }
    // One condition failed the statement: each alone, so only that one matches nothing.
    for (let i = 0; i < wheres.length; i++) out[i] = (await verdicts(shape, rowsJson, [wheres[i]!]))[0]!;
    return out;
  }

  return {
    async load(collection) {
      if (!shapes.has(collection)) shapes.set(collection, await runSteps(shapeSteps(collection), q));
    },
    textColumns: (collection) => shapeOf(collection).textColumns,
    open(collection): SnapshotBatch {
      const shape = shapeOf(collection);
      return snapshotBatch({
        answer() {
          throw new Error('realtime: a condition was not prefetched for this batch');
        },
        async fetch(rows, wheres) {
          const rowsJson = JSON.stringify(rows.map((r) => toJsonRow(shape, r)));
          const out: Set<number>[] = [];
          for (let i = 0; i < wheres.length; i += PG_CONDITIONS_PER_QUERY) {
            out.push(...(await verdicts(shape, rowsJson, wheres.slice(i, i + PG_CONDITIONS_PER_QUERY))));
          }
          return out;
        },
      });
    },
  };
}
