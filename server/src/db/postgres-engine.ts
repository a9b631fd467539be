/**
 * `SqlEngine` on PostgreSQL over a `pg` pool. Autocommit statements take any pooled client; a
 * transaction takes its own client for its whole life and first waits for a transaction-scoped
 * advisory lock (WRITER_LOCK_KEY), so transactions run one at a time across every node on the
 * database, as SQLite's writer does. Values are sent as text and typed by the server, so the
 * values the producers bind for SQLite (1/0 for booleans, JSON text) mean the same here; json and
 * jsonb come back as text, booleans as 1/0 and int8/numeric as numbers, as SQLite returns them.
 */
import pg from 'pg';
import { postgresDialect } from '../shared/dialect/index.ts';
import { bindValues, savepointName, TransactionEndedError, type Row, type SqlEngine, type SqlQueryable, type SqlTx } from './engine.ts';
import { mapPostgresError } from './postgres-errors.ts';
import { overBudget } from './read-pool.ts';

/** The advisory lock every writing transaction holds (any constant; 'Hrth' in ASCII). */
export const WRITER_LOCK_KEY = 0x48727468;

/** Pool size per node when not given: enough for concurrent reads while one writer works. */
export const DEFAULT_POOL_SIZE = 10;

/** Placeholder rewrites cached per SQL text (bounded, like the SQLite statement cache). */
const PLACEHOLDER_CACHE_SIZE = 1000;

const { builtins } = pg.types;
const number = (v: string): number | bigint => {
  const n = Number(v);
  return Number.isSafeInteger(n) || !/^-?\d+$/.test(v) ? n : BigInt(v);
};
const TEXT_AS_IS = (v: string): string => v;
const BOOL_AS_NUMBER = (v: string): number => (v === 't' ? 1 : 0);

const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === builtins.JSON || oid === builtins.JSONB) return TEXT_AS_IS;
    if (oid === builtins.INT8 || oid === builtins.NUMERIC) return number;
    if (oid === builtins.BOOL) return BOOL_AS_NUMBER;
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

export interface PostgresEngineOptions {
  /** Clients in the pool (DEFAULT_POOL_SIZE). */
  max?: number;
  /** The time budget of `allWithin` statements (costly client queries); absent: no `allWithin`. */
  readBudgetMs?: number;
}

/** Clients of the budget pool (`allWithin`): costly client queries at once per node, as SQLite's read workers. */
export const BUDGET_POOL_SIZE = 2;
/** SQLSTATE of a statement stopped by `statement_timeout`. */
const QUERY_CANCELED = '57014';

type Querier = Pick<pg.Pool, 'query'> | pg.PoolClient;

export function openPostgresEngine(url: string, options: PostgresEngineOptions = {}): SqlEngine {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? DEFAULT_POOL_SIZE, types: typeParsers });
  // An idle client losing its connection (server restart) is replaced on next use; not fatal.
  pool.on('error', () => {});
  const native = new Map<string, string>();
  const toNative = (sql: string): string => {
    let text = native.get(sql);
    if (text === undefined) {
      text = postgresDialect.nativePlaceholders(sql);
      if (native.size >= PLACEHOLDER_CACHE_SIZE) native.delete(native.keys().next().value as string);
      native.set(sql, text);
    }
    return text;
  };
  const query = async (on: Querier, sql: string, params?: readonly unknown[]): Promise<pg.QueryResult<Row>> => {
    try {
      return await on.query<Row>(toNative(sql), bindValues(params));
    } catch (err) {
      throw mapPostgresError(err);
    }
  };
  const over = (on: Querier, alive: () => void): SqlQueryable => ({
    dialect: postgresDialect,
    all: async <T>(sql: string, params?: readonly unknown[]) => (alive(), (await query(on, sql, params)).rows as T[]),
    get: async <T>(sql: string, params?: readonly unknown[]) => (alive(), (await query(on, sql, params)).rows[0] as T | undefined),
    run: async (sql, params) => (alive(), { changes: (await query(on, sql, params)).rowCount ?? 0 }),
    exec: async (sql) => {
      alive();
      try {
        await on.query(sql); // no parameters: the simple protocol runs several statements
      } catch (err) {
        throw mapPostgresError(err);
      }
    },
    // The extended protocol (parameters, even none) refuses text holding several statements.
    execOne: async (sql) => void (alive(), await query(on, sql, [])),
    columnsOf: async (sql) => (alive(), (await query(on, `SELECT * FROM (${sql}) AS "_hearth_columns" LIMIT 0`, [])).fields.map((f) => f.name)),
  });

  const transactionOn = (client: pg.PoolClient, depth: number, state: { ended: boolean }): SqlTx => {
    const alive = () => {
      if (state.ended) throw new TransactionEndedError();
    };
    const base = over(client, alive);
    /** A statement that may fail without aborting the transaction (Postgres aborts it on any error). */
    const probe = async <T>(fn: () => Promise<T>): Promise<T> => {
      await client.query('SAVEPOINT hearth_probe');
      try {
        const result = await fn();
        await client.query('RELEASE SAVEPOINT hearth_probe');
        return result;
      } catch (err) {
        await client.query('ROLLBACK TO SAVEPOINT hearth_probe');
        await client.query('RELEASE SAVEPOINT hearth_probe');
        throw err;
      }
    };
    return {
      ...base,
      execOne: (sql) => probe(() => base.execOne(sql)),
      columnsOf: (sql) => probe(() => base.columnsOf(sql)),
      savepoint: async (fn) => {
        alive();
        const name = savepointName(depth + 1);
        await client.query(`SAVEPOINT ${name}`);
        const inner = { ended: false };
        try {
          const result = await fn(transactionOn(client, depth + 1, inner));
          await client.query(`RELEASE SAVEPOINT ${name}`);
          return result;
        } catch (err) {
          await client.query(`ROLLBACK TO SAVEPOINT ${name}`);
          await client.query(`RELEASE SAVEPOINT ${name}`);
          throw err;
        } finally {
          inner.ended = true;
        }
      },
    };
  };

  const budgetMs = options.readBudgetMs;
  // Opened on first use; its clients start with the budget as their statement_timeout (no round trip per query).
  let budgetPool: pg.Pool | null = null;
  const allWithin = async <T>(sql: string, params: readonly unknown[]): Promise<T[]> => {
    if (!budgetPool) {
      budgetPool = new pg.Pool({ connectionString: url, max: BUDGET_POOL_SIZE, types: typeParsers, statement_timeout: budgetMs });
      budgetPool.on('error', () => {});
    }
    try {
      return (await budgetPool.query<Row>(toNative(sql), bindValues(params))).rows as T[];
    } catch (err) {
      if ((err as { code?: unknown }).code === QUERY_CANCELED) throw overBudget(budgetMs!);
      throw mapPostgresError(err);
    }
  };

  return {
    kind: 'postgres',
    ...over(pool, () => {}),
    ...(budgetMs === undefined ? {} : { allWithin }),
    transaction: async (fn) => {
      const client = await pool.connect();
      const state = { ended: false };
      let broken: unknown;
      try {
        await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${WRITER_LOCK_KEY})`);
        const result = await fn(transactionOn(client, 0, state));
        await client.query('COMMIT').catch((err: unknown) => {
          throw mapPostgresError(err);
        });
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch((rollbackErr: unknown) => {
          broken = rollbackErr; // the connection is unusable: drop it from the pool
        });
        throw err;
      } finally {
        state.ended = true;
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
    close: async () => {
      await budgetPool?.end();
      await pool.end();
    },
  };
}
