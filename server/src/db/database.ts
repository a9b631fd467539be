/**
 * Opens the SQLite file and wraps it in `SqlDb`: a small interface (all/get/run/exec/transaction)
 * with a prepared-statement cache keyed by SQL text, so every query shape is prepared once.
 * Nothing outside db/ sees better-sqlite3; another engine would implement `SqlDb`.
 */
import { existsSync, renameSync } from 'node:fs';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import * as schema from './system-schema.ts';
import { mapSqliteError } from './sqlite-errors.ts';
import { bindValue } from './engine.ts';
import { createWriteClock, writeTargets } from './write-marks.ts';

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
  /** Drops the prepared statements (after another connection changed the schema). */
  clearStatements(): void;
  /**
   * Runs fn in a write transaction (`BEGIN IMMEDIATE`: the write lock is taken up front, so
   * another process's commit can never invalidate it half-way; waits up to busy_timeout for the
   * lock); nested calls become savepoints. Throws roll back.
   */
  transaction<T>(fn: () => T): T;
  /** Runs fn in a read transaction: one consistent snapshot, no write lock (nested: a savepoint). */
  snapshot<T>(fn: () => T): T;
  /** Compiles the SQL without running it; throws on syntax errors or unknown tables/columns. */
  check(sql: string): void;
  /** Column names a SELECT would return (for view collections). */
  columnsOf(sql: string): string[];
  readonly inTransaction: boolean;
  readonly orm: BetterSQLite3Database<typeof schema>;
  /**
   * Online backup to a new file (SQLite backup API): a consistent snapshot while writes go on.
   * Copies in steps so the event loop keeps serving; if another connection writes mid-way (which
   * makes SQLite restart the copy), the rest is copied in one step so the backup always ends.
   */
  backup(destination: string): Promise<void>;
  /**
   * Closes the connection (WAL checkpointed), moves the file (and its -wal/-shm) to `keepOldAt`,
   * moves `replacement` into its place and reopens — all in one synchronous step, so no statement
   * runs in between. If the new file cannot be opened, the old one is put back and reopened.
   */
  replaceFile(replacement: string, keepOldAt: string): void;
  checkpoint(): void;
  /**
   * A mark of `table`'s state as far as this process can tell: it differs from every earlier
   * mark once the table may have changed — a statement on this connection writing it (or DDL, or
   * anything that might write every table), or a commit by any other connection. null when no
   * mark can be exact: this connection is inside a transaction (its writes may still commit or
   * roll back), or the schema has triggers or foreign keys (a write to one table may change another).
   * `dataVersion`, when given, is this connection's `data_version` read earlier (schema-version.ts
   * `turnDataVersion`: once per event-loop turn) instead of reading it now; null gives no mark.
   */
  writeMark(table: string, dataVersion?: number | null): string | null;
  /**
   * `PRAGMA data_version` of this connection: it moves whenever another connection commits (our
   * own commits leave it). null while the database is busy (the caller treats nothing as known).
   */
  dataVersion(): number | null;
  close(): void;
  readonly path: string;
  /** Statements run and the time spent in SQLite running them, since open (for metrics). */
  readonly stats: DbStats;
}

export interface DbStats {
  statements: number;
  seconds: number;
}

/** Pages per backup step (4 KiB pages: 16 MiB), small enough that each step is a short pause. */
export const BACKUP_STEP_PAGES = 4096;

/** SQLite's companions of a database file in WAL mode. */
const SIDE_FILES = ['-wal', '-shm'];

/** The statement cache bound: enough for every shape a busy app uses, bounded against abuse. */
const STATEMENT_CACHE_SIZE = 1000;

function bindAll(params: readonly unknown[] | undefined): unknown[] {
  if (!params || params.length === 0) return [];
  const out = new Array(params.length);
  for (let i = 0; i < params.length; i++) out[i] = bindValue(params[i]);
  return out;
}

export interface OpenOptions {
  /** synchronous=NORMAL in WAL: a power loss can drop the last commits, never corrupt. */
  synchronous?: 'NORMAL' | 'FULL';
}

function connect(path: string, options: OpenOptions): Database.Database {
  const raw = new Database(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  raw.pragma('busy_timeout = 5000');
  raw.pragma('foreign_keys = ON');
  raw.pragma('temp_store = MEMORY');
  // 4 MB of page cache per connection. Every commit by another worker empties it anyway, and a
  // larger one left glibc's heap fragmented by the pages freed and re-read after each such commit
  // (13–16 MB free inside the main arena per worker under the fan-out bench): docs/benchmarks.md.
  raw.pragma('cache_size = -4000');
  raw.pragma('journal_size_limit = 67108864');
  return raw;
}

const isBusy = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_RECOVERY';
};

function closeRaw(raw: Database.Database): void {
  if (!raw.open) return;
  try {
    raw.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    raw.close();
  }
}

function moveWithSideFiles(from: string, to: string): void {
  renameSync(from, to);
  for (const suffix of SIDE_FILES) if (existsSync(from + suffix)) renameSync(from + suffix, to + suffix);
}

export function openDatabase(path: string, options: OpenOptions = {}): SqlDb {
  let raw = connect(path, options);
  let orm = drizzle(raw, { schema });
  // One transaction wrapper for every call (better-sqlite3 turns nested calls into savepoints);
  // building a wrapper per write showed in the insert profile. Writes use its IMMEDIATE form:
  // with several processes on the file a DEFERRED transaction that reads and then writes fails
  // with SQLITE_BUSY_SNAPSHOT when another commit lands in between (busy_timeout cannot help).
  let inTransaction = raw.transaction((fn: () => unknown) => fn());
  const cache = new Map<string, Database.Statement>();
  /** What each cached statement that writes may write (null: anything); read-only ones are absent. */
  const targetsOf = new WeakMap<Database.Statement, readonly string[] | null>();
  const clock = createWriteClock();
  // Triggers and foreign keys let a write to one table change another: no exact marks with them.
  // Checked again whenever the schema may have changed (its version, or DDL here).
  let schemaSeen: number | null = null;
  let linked = false;
  const everything = (): void => {
    clock.everything();
    schemaSeen = null;
  };
  const attach = (next: Database.Database) => {
    everything();
    cache.clear();
    raw = next;
    orm = drizzle(raw, { schema });
    inTransaction = raw.transaction((fn: () => unknown) => fn());
  };

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
    if (!s.readonly) targetsOf.set(s, writeTargets(sql));
    if (cache.size >= STATEMENT_CACHE_SIZE) {
      const oldest = cache.keys().next().value as string;
      cache.delete(oldest);
    }
    cache.set(key, s);
    return s;
  };

  /** The statement for `sql`, its writes counted before it runs. */
  const writing = (sql: string, pluck = false): Database.Statement => {
    const s = stmt(sql, pluck);
    const targets = targetsOf.get(s);
    if (targets === null) everything(); // DDL through run() may add a trigger too
    else if (targets !== undefined) clock.wrote(targets);
    return s;
  };

  /** data_version when the schema was last checked: the schema can change only with it or with our own DDL (which clears schemaSeen). */
  let versionSeen = -1;
  const schemaLinksTables = (dataVersion: number): boolean => {
    if (schemaSeen !== null && dataVersion === versionSeen) return linked;
    const version = Number(stmt('PRAGMA schema_version', true).get());
    if (version !== schemaSeen) {
      linked = stmt(`SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE "type" = 'trigger' OR ("type" = 'table' AND "sql" LIKE '%REFERENCES%')) AS "linked"`, true).get() === 1;
      schemaSeen = version;
    }
    versionSeen = dataVersion;
    return linked;
  };

  const stats: DbStats = { statements: 0, seconds: 0 };
  const guard = <T>(fn: () => T): T => {
    const started = performance.now();
    try {
      return fn();
    } catch (err) {
      throw mapSqliteError(err);
    } finally {
      stats.statements += 1;
      stats.seconds += (performance.now() - started) / 1000;
    }
  };

  return {
    path,
    get orm() {
      everything(); // its writes bypass the statement cache
      return orm;
    },
    stats,
    get inTransaction() {
      return raw.inTransaction;
    },
    all: (sql, params) => guard(() => writing(sql).all(...bindAll(params)) as never),
    get: (sql, params) => guard(() => writing(sql).get(...bindAll(params)) as never),
    pluck: (sql, params) => guard(() => writing(sql, true).all(...bindAll(params)) as never),
    run: (sql, params) => guard(() => writing(sql).run(...bindAll(params))),
    exec: (sql) => {
      // DDL changes the schema: cached statements may now be stale.
      cache.clear();
      everything();
      guard(() => raw.exec(sql));
    },
    clearStatements: () => cache.clear(),
    transaction: <T>(fn: () => T): T => inTransaction.immediate(fn) as T,
    snapshot: <T>(fn: () => T): T => inTransaction.deferred(fn) as T,
    check: (sql) => {
      guard(() => raw.prepare(sql));
    },
    columnsOf: (sql) => guard(() => raw.prepare(sql).columns().map((c) => c.name)),
    backup: async (destination) => {
      let last = Number.POSITIVE_INFINITY;
      let rest = false;
      await raw.backup(destination, {
        progress: ({ remainingPages }) => {
          if (remainingPages > last) rest = true; // restarted: finish in one step
          last = remainingPages;
          return rest ? 0x7fffffff : BACKUP_STEP_PAGES;
        },
      });
    },
    replaceFile: (replacement, keepOldAt) => {
      if (raw.inTransaction) throw new Error('replaceFile inside a transaction');
      closeRaw(raw);
      cache.clear();
      moveWithSideFiles(path, keepOldAt);
      try {
        moveWithSideFiles(replacement, path);
        attach(connect(path, options));
      } catch (err) {
        if (existsSync(path)) moveWithSideFiles(path, replacement);
        moveWithSideFiles(keepOldAt, path);
        attach(connect(path, options));
        throw err;
      }
    },
    checkpoint: () => {
      raw.pragma('wal_checkpoint(TRUNCATE)');
    },
    writeMark: (table, given) => {
      if (raw.inTransaction || given === null) return null;
      try {
        const dataVersion = given ?? Number(stmt('PRAGMA data_version', true).get());
        return schemaLinksTables(dataVersion) ? null : `${dataVersion}:${clock.markOf(table)}`;
      } catch (err) {
        if (isBusy(err)) return null; // no mark now: the caller reads the row
        throw mapSqliteError(err);
      }
    },
    dataVersion: () => {
      try {
        return Number(stmt('PRAGMA data_version', true).get());
      } catch (err) {
        if (isBusy(err)) return null;
        throw mapSqliteError(err);
      }
    },
    close: () => {
      cache.clear();
      closeRaw(raw);
    },
  };
}
