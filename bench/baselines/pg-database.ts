/**
 * The PostgreSQL baseline's tables: the same collections, columns and indexes as database.ts
 * (SQLite), in Postgres types as Hearth's Postgres dialect declares them (numbers as DOUBLE
 * PRECISION, text as TEXT), created in an empty database and seeded in one transaction.
 */
import pg from 'pg';
import { COLLECTIONS, USERS, type BenchCollection } from '../scenarios/schema.ts';
import type { Dataset } from '../scenarios/dataset.ts';
import { columnsOf } from './database.ts';

/** Connections in the pool: a small server's worth, as Hearth's Postgres engine opens. */
export const PG_POOL_SIZE = 10;
/** Rows per multi-row INSERT while seeding (well under Postgres's 65535 parameters). */
const SEED_CHUNK = 500;

const q = (name: string): string => `"${name}"`;

function tableDdl(c: BenchCollection): string {
  const cols = c.fields.map((f) => (f.type === 'number' ? `${q(f.name)} DOUBLE PRECISION DEFAULT 0 NOT NULL` : `${q(f.name)} TEXT DEFAULT '' NOT NULL`));
  return `CREATE TABLE ${q(c.name)} ("id" TEXT PRIMARY KEY NOT NULL, ${cols.join(', ')}, "created" TEXT DEFAULT '' NOT NULL, "updated" TEXT DEFAULT '' NOT NULL)`;
}

/** The schema's index statements with their column names quoted (`user` is reserved in Postgres). */
const indexDdl = (sql: string): string =>
  sql.replace(/\(([^)]*)\)\s*$/, (_, cols: string) => `(${cols.split(',').map((c) => q(c.trim())).join(', ')})`);

export function openBaselinePool(url: string): pg.Pool {
  return new pg.Pool({ connectionString: url, max: PG_POOL_SIZE });
}

export async function createPgTablesAndSeed(pool: pg.Pool, data: Dataset, stamp: string): Promise<void> {
  const all = [USERS, ...COLLECTIONS];
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const c of all) {
      await client.query(`DROP TABLE IF EXISTS ${q(c.name)}`);
      await client.query(tableDdl(c));
      for (const idx of c.indexes) await client.query(indexDdl(idx));
    }
    for (const c of all) {
      const cols = columnsOf(c);
      const rows = data.rows[c.name] ?? [];
      for (let i = 0; i < rows.length; i += SEED_CHUNK) {
        const chunk = rows.slice(i, i + SEED_CHUNK);
        const values: unknown[] = [];
        const tuples = chunk.map((row) => {
          const start = values.length;
          for (const k of cols) values.push(k === 'created' || k === 'updated' ? stamp : (row[k] ?? ''));
          return `(${cols.map((_, j) => `$${start + j + 1}`).join(', ')})`;
        });
        await client.query(`INSERT INTO ${q(c.name)} (${cols.map(q).join(', ')}) VALUES ${tuples.join(', ')}`, values);
      }
    }
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
