/**
 * Rule and filter checks against row snapshots, in SQL. A change's snapshot (which may be of a
 * deleted row) is inserted into a TEMP table shaped like the collection's table — same columns,
 * same declared types, so comparisons follow the same affinity rules as a query on the real
 * table — and each distinct compiled condition runs once over all snapshots of a batch:
 * `SELECT t.rowid FROM temp."_rt_…" t WHERE (condition)`. Snapshots are written only when a
 * condition needs SQL (conditions simple enough are checked in memory, memory-condition.ts). TEMP tables live in this connection's
 * private temp schema: other processes never see them and the main file is not written.
 */
import type { SqlDb } from '../db/index.ts';
import { quoteIdent } from '../db/sql.ts';
import type { Collection } from '../collections/model.ts';
import { hasTextAffinity } from './memory-condition.ts';
import { snapshotBatch, type SnapshotTables } from './snapshot-batch.ts';

interface Shape {
  table: string;
  columns: string[];
  /** Columns with TEXT affinity (in-memory checks handle only those). */
  textColumns: Set<string>;
  signature: string;
  createSql: string;
  insertSql: string;
}

const ROWID = quoteIdent('rowid');

/** A declared type is copied for its affinity; anything but plain words is dropped. */
const safeType = (type: string): string => type.replace(/[^A-Za-z0-9_ ]/g, '');

export function createSnapshotTables(db: SqlDb): SnapshotTables {
  const shapes = new WeakMap<Collection, Shape>();
  /** collectionId → signature of the TEMP table that currently exists. */
  const created = new Map<string, string>();

  function shapeOf(collection: Collection): Shape {
    let shape = shapes.get(collection);
    if (!shape) {
      const info = db.all<{ name: string; type: string }>(`PRAGMA main.table_info(${quoteIdent(collection.name)})`);
      const columns = info.map((c) => c.name);
      const table = `_rt_${collection.id}`;
      shape = {
        table,
        columns,
        textColumns: new Set(info.filter((c) => hasTextAffinity(c.type)).map((c) => c.name)),
        signature: info.map((c) => `${c.name}:${c.type}`).join(','),
        createSql: `CREATE TEMP TABLE ${quoteIdent(table)} (${info.map((c) => `${quoteIdent(c.name)} ${safeType(c.type)}`).join(', ')})`,
        insertSql: `INSERT INTO temp.${quoteIdent(table)} (${ROWID}, ${columns.map(quoteIdent).join(', ')}) VALUES (?, ${columns.map(() => '?').join(', ')})`,
      };
      shapes.set(collection, shape);
    }
    if (created.get(collection.id) !== shape.signature) {
      db.exec(`DROP TABLE IF EXISTS temp.${quoteIdent(shape.table)}; ${shape.createSql}`);
      created.set(collection.id, shape.signature);
    }
    return shape;
  }

  return {
    textColumns: (collection) => shapeOf(collection).textColumns,
    open(collection) {
      const shape = shapeOf(collection);
      const table = `temp.${quoteIdent(shape.table)}`;
      /** Snapshots below this key are in the TEMP table. */
      let written = 0;
      return snapshotBatch({
        answer(rows, where) {
          for (; written < rows.length; written++) {
            const row = rows[written]!;
            db.run(shape.insertSql, [written, ...shape.columns.map((c) => row[c] ?? null)]);
          }
          return new Set(db.pluck<number>(`SELECT t.rowid AS k FROM ${table} t WHERE (${where.sql})`, where.params));
        },
        clear() {
          if (written > 0) db.run(`DELETE FROM ${table}`);
          written = 0;
        },
      });
    },
  };
}
