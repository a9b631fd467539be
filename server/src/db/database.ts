/**
 * Opens the SQLite file and wraps it in `SqlDb`: a small interface (all/get/run/exec/transaction)
 * with a prepared-statement cache keyed by SQL text, so every query shape is prepared once.
 * Nothing outside db/ sees better-sqlite3; another engine would implement `SqlDb`.
 */
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import * as schema from './system-schema.ts';
import { mapSqliteError } from './sqlite-errors.ts';

export type SqlParam = string | number | bigint | null | Buffer;
export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

export interface SqlDb {
  all<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): T[];
  get<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): T | undefined;
  /** First column of every row. */
  pluck<T = unknown>(sql: string, params?: readonly unknown[]): T[];
  run(sql: string, params?: readonly unknown[]): RunResult;
  /** Runs one or more statements without parameters (DDL). */
  exec(sql: string): void;
  /** Runs fn in a transaction; nested calls become savepoints. Throws roll back. */
  transaction<T>(fn: () => T): T;
  /** Compiles the SQL without running it; throws on syntax errors or unknown tables/columns. */
  check(sql: string): void;
  /** Column names a SELECT would return (for view collections). */
  columnsOf(sql: string): string[];
  readonly inTransaction: boolean;
  readonly orm: BetterSQLite3Database<typeof schema>;
  /** Online backup to a file (SQLite backup API). */
  backup(destination: string): Promise<void>;
  checkpoint(): void;
  close(): void;
  readonly path: string;
}

/** The statement cache bound: enough for every shape a busy app uses, bounded against abuse. */
const STATEMENT_CACHE_SIZE = 1000;

/** better-sqlite3 refuses booleans and undefined; objects are stored as JSON text. */
function bindable(v: unknown): unknown {
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

function bindAll(params: readonly unknown[] | undefined): unknown[] {
  if (!params || params.length === 0) return [];
  const out = new Array(params.length);
  for (let i = 0; i < params.length; i++) out[i] = bindable(params[i]);
  return out;
}

export interface OpenOptions {
  /** synchronous=NORMAL in WAL: a power loss can drop the last commits, never corrupt. */
  synchronous?: 'NORMAL' | 'FULL';
}

export function openDatabase(path: string, options: OpenOptions = {}): SqlDb {
  const raw = new Database(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  raw.pragma('busy_timeout = 5000');
  raw.pragma('foreign_keys = ON');
  raw.pragma('temp_store = MEMORY');
  raw.pragma('cache_size = -32000');
  raw.pragma('journal_size_limit = 67108864');
  const orm = drizzle(raw, { schema });
  // One transaction wrapper for every call (better-sqlite3 turns nested calls into savepoints);
  // building a wrapper per write showed in the insert profile.
  const inTransaction = raw.transaction((fn: () => unknown) => fn());
  const cache = new Map<string, Database.Statement>();

  /** Plucking is a mode of the statement, so plucked statements are cached under their own key. */
  const stmt = (sql: string, pluck = false): Database.Statement => {
    const key = pluck ? `\u0000pluck:${sql}` : sql;
    let s = cache.get(key);
    if (s) return s;
    try {
      s = raw.prepare(sql);
      if (pluck) s.pluck();
    } catch (err) {
      throw mapSqliteError(err);
    }
    if (cache.size >= STATEMENT_CACHE_SIZE) {
      const oldest = cache.keys().next().value as string;
      cache.delete(oldest);
    }
    cache.set(key, s);
    return s;
  };

  const guard = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      throw mapSqliteError(err);
    }
  };

  return {
    path,
    orm,
    get inTransaction() {
      return raw.inTransaction;
    },
    all: (sql, params) => guard(() => stmt(sql).all(...bindAll(params)) as never),
    get: (sql, params) => guard(() => stmt(sql).get(...bindAll(params)) as never),
    pluck: (sql, params) => guard(() => stmt(sql, true).all(...bindAll(params)) as never),
    run: (sql, params) => guard(() => stmt(sql).run(...bindAll(params))),
    exec: (sql) => {
      // DDL changes the schema: cached statements may now be stale.
      cache.clear();
      guard(() => raw.exec(sql));
    },
    transaction: <T>(fn: () => T): T => inTransaction(fn) as T,
    check: (sql) => {
      guard(() => raw.prepare(sql));
    },
    columnsOf: (sql) => guard(() => raw.prepare(sql).columns().map((c) => c.name)),
    backup: async (destination) => {
      await raw.backup(destination);
    },
    checkpoint: () => {
      raw.pragma('wal_checkpoint(TRUNCATE)');
    },
    close: () => {
      cache.clear();
      if (raw.open) {
        try {
          raw.pragma('wal_checkpoint(TRUNCATE)');
        } finally {
          raw.close();
        }
      }
    },
  };
}
