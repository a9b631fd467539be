/**
 * The async engine interface both engines implement (SQLite over better-sqlite3, Postgres over a
 * `pg` pool). Producers write `?` placeholders and take the SQL text from `engine.dialect`; the
 * engine numbers placeholders for its wire, binds values the same way on both (booleans as 1/0,
 * objects as JSON text, undefined as NULL), and maps constraint errors to the same AppError.
 *
 * Transactions cannot interleave: on SQLite one writer runs them one at a time (a queue); on
 * Postgres each gets its own pooled client and first takes a transaction-scoped advisory lock,
 * so writers run one at a time across every node on the database and commit in the order they
 * started — the property the `_changes` outbox tail relies on. Statements outside a
 * transaction autocommit; reads outside one see the last committed state.
 */
import type { Dialect } from '../shared/dialect/index.ts';

export type Row = Record<string, unknown>;

export interface EngineRunResult {
  /** Rows inserted, updated or deleted. */
  changes: number;
}

export interface SqlQueryable {
  readonly dialect: Dialect;
  all<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  get<T = Row>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  run(sql: string, params?: readonly unknown[]): Promise<EngineRunResult>;
  /** One or more statements without parameters (DDL). */
  exec(sql: string): Promise<void>;
  /** Exactly one statement without parameters (a user's CREATE INDEX or VIEW); text holding more is refused. */
  execOne(sql: string): Promise<void>;
  /**
   * The column names a SELECT would return, without reading its rows; an invalid query throws.
   * Inside a Postgres transaction a failure leaves the transaction usable (a savepoint).
   */
  columnsOf(sql: string): Promise<string[]>;
}

/** A transaction in progress. Using it after its callback has settled throws. */
export interface SqlTx extends SqlQueryable {
  /** Runs fn in a savepoint: a throw rolls back only what fn did, then rethrows. */
  savepoint<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
}

export interface SqlEngine extends SqlQueryable {
  readonly kind: 'sqlite' | 'postgres';
  /** Runs fn in a transaction that no other transaction interleaves with; a throw rolls it back. */
  transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
  /**
   * Rows of one read-only statement that is stopped past `budgetMs` (PostgreSQL: clients of a
   * pool of their own whose `statement_timeout` is the budget); past it, rejects with the
   * budget's 400. Absent on SQLite (its read workers keep the budget: read-pool.ts).
   */
  allWithin?<T = Row>(sql: string, params: readonly unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** Values bound identically on both engines (better-sqlite3 refuses booleans and undefined). */
export function bindValue(v: unknown): unknown {
  switch (typeof v) {
    case 'boolean':
      return v ? 1 : 0;
    case 'undefined':
      return null;
    case 'object':
      return v === null || Buffer.isBuffer(v) ? v : JSON.stringify(v);
    default:
      return v;
  }
}

export const bindValues = (params: readonly unknown[] | undefined): unknown[] => (params ? params.map(bindValue) : []);

export class TransactionEndedError extends Error {
  constructor() {
    super('The transaction has already ended; use the engine or a new transaction.');
  }
}

/** Savepoint names by depth: `hearth_sp_1`, `hearth_sp_2`… (the same statements on both engines). */
export const savepointName = (depth: number): string => `hearth_sp_${depth}`;
