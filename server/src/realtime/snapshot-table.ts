/**
 * Rule and filter checks against row snapshots, in SQL. A change's snapshot (which may be of a
 * deleted row) is inserted into a TEMP table shaped like the collection's table — same columns,
 * same declared types, so comparisons follow the same affinity rules as a query on the real
 * table — and each distinct compiled condition runs once over all snapshots of a batch:
 * `SELECT t.rowid FROM temp."_rt_…" t WHERE (condition)`. TEMP tables live in this connection's
 * private temp schema: other processes never see them and the main file is not written.
 */
import type { SqlDb } from '../db/index.ts';
import { quoteIdent } from '../db/sql.ts';
import type { Collection } from '../collections/model.ts';
import type { SqlFragment } from '../query/resolver.ts';
import type { Row } from './change-feed.ts';

interface Shape {
  table: string;
  columns: string[];
  signature: string;
  createSql: string;
  insertSql: string;
}

const memoKey = (f: SqlFragment): string => f.sql + '\u0000' + JSON.stringify(f.params);

/** A declared type is copied for its affinity; anything but plain words is dropped. */
const safeType = (type: string): string => type.replace(/[^A-Za-z0-9_ ]/g, '');

export interface SnapshotBatch {
  /** Adds a snapshot; returns its key for `matching`. */
  add(row: Row): number;
  /** Keys of the snapshots for which `where` holds (memoised by SQL text and params). */
  matching(where: SqlFragment): Set<number>;
  /** Removes the batch's snapshots. Always call (use try/finally). */
  clear(): void;
}

export interface SnapshotTables {
  open(collection: Collection): SnapshotBatch;
}

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
        signature: info.map((c) => `${c.name}:${c.type}`).join(','),
        createSql: `CREATE TEMP TABLE ${quoteIdent(table)} (${info.map((c) => `${quoteIdent(c.name)} ${safeType(c.type)}`).join(', ')})`,
        insertSql: `INSERT INTO temp.${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
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
    open(collection) {
      const shape = shapeOf(collection);
      const table = `temp.${quoteIdent(shape.table)}`;
      const memo = new Map<string, Set<number>>();
      return {
        add(row) {
          const res = db.run(shape.insertSql, shape.columns.map((c) => row[c] ?? null));
          memo.clear();
          return Number(res.lastInsertRowid);
        },
        matching(where) {
          const key = memoKey(where);
          let hit = memo.get(key);
          if (!hit) {
            const sql = `SELECT t.rowid AS k FROM ${table} t WHERE (${where.sql})`;
            hit = new Set(db.pluck<number>(sql, where.params));
            memo.set(key, hit);
          }
          return hit;
        },
        clear() {
          db.run(`DELETE FROM ${table}`);
        },
      };
    },
  };
}
