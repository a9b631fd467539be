/**
 * `SqlEngine` on SQLite: one writer connection whose work is queued — a transaction holds the
 * queue from BEGIN IMMEDIATE to COMMIT even across awaits, and autocommit writes wait their turn —
 * plus a read connection (`query_only`) for reads outside transactions (WAL: they see the last
 * commit and never wait for the writer). An in-memory database has one connection, so its reads
 * queue too.
 *
 * The engine also hands out the synchronous `SqlDb` (`engine.db`) on the same two connections, so
 * code still written against `SqlDb` and code on the engine share one writer (one statement
 * cache, one `data_version` — our own commits never look like another process's). While an async
 * transaction holds the writer, a synchronous call made from inside that transaction's async
 * context is part of it (a sync `transaction()` there becomes a savepoint); a synchronous call from
 * any other context never runs inside it: its reads go to the read connection (the last commit)
 * and its writes throw `WriterBusyError` — they cannot wait, being synchronous.
 *
 * `transactionSync` runs a transaction whose work is synchronous (a write written as steps, see
 * steps.ts) in one turn when the writer is free, and otherwise in its turn in the same queue.
 * `transactionGrouped` gathers such work started in one event-loop turn and runs it at the turn's
 * end as one transaction, each in its own savepoint: one BEGIN and one COMMIT (the commit's pages
 * written once) for every write the turn's requests brought.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { openDatabase, type OpenOptions, type SqlDb } from './database.ts';
import { savepointName, TransactionEndedError, type SqlEngine, type SqlQueryable, type SqlTx } from './engine.ts';
import { sqliteDialect } from '../shared/dialect/index.ts';

export interface SqliteEngine extends SqlEngine {
  readonly kind: 'sqlite';
  /** The synchronous interface on the same connections (see the module comment). */
  readonly db: SqlDb;
  /**
   * The read connection, for a read outside any transaction in the caller's own turn — where
   * `all`/`get` send every SELECT anyway (the last commit, never waiting for the writer); null
   * in memory, where reads queue behind the writer.
   */
  readonly readNow: SqlDb | null;
  /**
   * Runs `fn` — synchronous work on the writer — in a write transaction that no other
   * transaction interleaves with: at once, in this turn, when the writer is free (nothing queued
   * or running on it, and no other process holds the write lock); otherwise in its turn in the
   * queue, after the async BEGIN's lock wait. A throw rolls it back. No promise per statement:
   * the whole transaction is one synchronous run.
   */
  transactionSync<T>(fn: (db: SqlDb) => T): Promise<T>;
  /**
   * `transactionSync` for independent writes: `fn` runs at the end of this event-loop turn (its
   * check phase, after the I/O the turn read) together with every other `fn` given in the turn,
   * in one write transaction, each in a savepoint of its own — a throw rolls back only its own
   * work and rejects only its own promise; the others resolve once the shared COMMIT succeeded
   * (a failed COMMIT rejects them all). Each sees the work of those before it, as in turn.
   */
  transactionGrouped<T>(fn: (db: SqlDb) => T): Promise<T>;
}

/** A `transactionGrouped` call waiting for its turn's transaction. */
interface GroupMember {
  fn: (db: SqlDb) => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** The savepoint each member of a group runs in (steps never open one of their own). */
const MEMBER = 'hearth_group_member';

/** A synchronous write was attempted while an async transaction of another context held the writer. */
export class WriterBusyError extends Error {
  constructor() {
    super('A synchronous write cannot run while an async transaction holds the writer; use the engine.');
  }
}

/** Engine writes (or a nested engine transaction) issued from inside a transaction would wait for it forever. */
export class EngineInTransactionError extends Error {
  constructor() {
    super('This runs inside a transaction on the same engine and would wait for it forever; use its tx.');
  }
}

/**
 * Statements that only read go to the read connection; anything else that returns rows
 * (`INSERT … RETURNING`, `DELETE … RETURNING`, pragmas) takes its turn on the writer.
 */
const READS = /^\s*(?:SELECT|WITH|VALUES)\b/i;

/** Work on the writer, one at a time in order; `idle` while nothing is queued or running. */
function queue() {
  let tail: Promise<unknown> = Promise.resolve();
  let pending = 0;
  const settled = () => {
    pending--;
  };
  const run = <T>(fn: () => T | Promise<T>): Promise<T> => {
    pending++;
    const result = tail.then(fn);
    tail = result.then(settled, settled);
    return result;
  };
  return { run, idle: () => pending === 0 };
}

/** Statements on one connection, as promises (SqlDb already maps SQLite errors to AppError). */
function over(db: () => SqlDb, alive: () => void, afterExec: () => void = () => {}): SqlQueryable {
  return {
    dialect: sqliteDialect,
    all: async (sql, params) => (alive(), db().all(sql, params)),
    get: async (sql, params) => (alive(), db().get(sql, params)),
    run: async (sql, params) => (alive(), { changes: db().run(sql, params).changes }),
    exec: async (sql) => {
      alive();
      db().exec(sql);
      afterExec();
    },
    execOne: async (sql) => {
      alive();
      db().check(sql);
      db().exec(sql);
      afterExec();
    },
    columnsOf: async (sql) => (alive(), db().columnsOf(sql)),
  };
}

/** `afterExec`: DDL ran on the writer, so the read connection's prepared statements may be stale. */
function transactionOn(db: SqlDb, depth: number, state: { ended: boolean }, afterExec: () => void): SqlTx {
  const alive = () => {
    if (state.ended) throw new TransactionEndedError();
  };
  return {
    ...over(() => db, alive, afterExec),
    savepoint: async (fn) => {
      alive();
      const name = savepointName(depth + 1);
      db.run(`SAVEPOINT ${name}`);
      const inner = { ended: false };
      try {
        const result = await fn(transactionOn(db, depth + 1, inner, afterExec));
        db.run(`RELEASE ${name}`);
        return result;
      } catch (err) {
        db.run(`ROLLBACK TO ${name}`);
        db.run(`RELEASE ${name}`);
        throw err;
      } finally {
        inner.ended = true;
      }
    },
  };
}

/** How long an async transaction waits for another process's write lock, as busy_timeout does. */
export const LOCK_WAIT_MS = 5000;
const NO_WAIT = 'PRAGMA busy_timeout = 0';
const WAIT = `PRAGMA busy_timeout = ${LOCK_WAIT_MS}`;
const pause = (ms: number): Promise<void> => new Promise((resolve) => (ms === 0 ? setImmediate(resolve) : setTimeout(resolve, ms)));

const isBusy = (err: unknown): boolean => {
  const code = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_RECOVERY';
};

function openReader(path: string, options: OpenOptions): SqlDb {
  const reader = openDatabase(path, options);
  reader.exec('PRAGMA query_only = ON');
  return reader;
}

export function openSqliteEngine(path: string, options: OpenOptions = {}): SqliteEngine {
  const writer = openDatabase(path, options);
  const memory = path === ':memory:' || path === '';
  let reader = memory ? writer : openReader(path, options);
  const writes = queue();
  const inQueue = writes.run;
  /** True while a transactionSync callback runs (it holds the writer synchronously). */
  let syncHeld = false;
  /** The async context of the transaction holding the writer, if one does. */
  const context = new AsyncLocalStorage<object>();
  let holder: object | null = null;
  /** True when an async transaction holds the writer and the caller is not inside it. */
  const outsider = (): boolean => holder !== null && context.getStore() !== holder;
  /** True when the caller is inside the transaction holding the writer. */
  const insider = (): boolean => holder !== null && context.getStore() === holder;
  const queued = <T>(fn: () => T | Promise<T>): Promise<T> => (insider() || syncHeld ? Promise.reject(new EngineInTransactionError()) : inQueue(fn));

  /**
   * Whether the writer's busy_timeout is 0: an async BEGIN sets it so and leaves it so (two
   * pragmas per write transaction were 3 % of an insert's CPU); whatever else may wait for
   * another process's lock on the writer — writes outside async transactions, checkpoints —
   * sets busy_timeout back first. Reads in WAL mode do not wait for writers.
   */
  let noWait = false;
  const waiting = (): SqlDb => {
    if (noWait) {
      writer.get(WAIT);
      noWait = false;
    }
    return writer;
  };

  /**
   * BEGIN IMMEDIATE for an async transaction. While another process (a worker, the CLI) holds the
   * write lock, SQLite's busy handler would sleep in this thread — up to busy_timeout, the whole
   * event loop stopped: no realtime delivery, no reads, no other request. Here the lock is tried
   * without waiting and, while busy, tried again after a turn of the event loop and then every
   * millisecond, so the process keeps serving meanwhile. After LOCK_WAIT_MS it fails busy, as
   * busy_timeout would.
   */
  async function beginImmediate(): Promise<void> {
    const deadline = performance.now() + LOCK_WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      const busyErr = beginOnce();
      if (busyErr === null) return;
      if (performance.now() >= deadline) throw busyErr;
      await pause(attempt < 2 ? 0 : 1);
    }
  }

  /** One BEGIN IMMEDIATE without waiting: null once begun, the busy error while another process holds the write lock. */
  function beginOnce(): unknown {
    if (!noWait) {
      writer.get(NO_WAIT);
      noWait = true;
    }
    try {
      writer.run('BEGIN IMMEDIATE');
      return null;
    } catch (err) {
      if (isBusy(err)) return err;
      throw err;
    }
  }

  /** Ends a failed transaction: ROLLBACK unless SQLite already rolled it back. */
  function rollback(): void {
    if (writer.inTransaction) writer.run('ROLLBACK');
  }

  const staleReads = () => reader.clearStatements();
  const direct = over(waiting, () => {}, staleReads);
  const reads = over(() => reader, () => {});
  /** The writer for a statement outside any other context's transaction: inside one (ours) the lock is held; a statement that may write may wait for it. */
  const onWriter = (sql?: string): SqlDb => (holder !== null || syncHeld || (sql !== undefined && READS.test(sql)) ? writer : waiting());
  const forReads = (sql?: string): SqlDb => (outsider() ? (memory ? busy() : reader) : onWriter(sql));
  const forWrites = (): SqlDb => (outsider() ? busy() : holder !== null || syncHeld ? writer : waiting());

  /** fn inside the transaction just begun, then COMMIT (ROLLBACK on a throw). */
  function commitSync<T>(fn: (db: SqlDb) => T): T {
    syncHeld = true;
    try {
      const result = fn(writer);
      writer.run('COMMIT');
      return result;
    } catch (err) {
      rollback();
      throw err;
    } finally {
      syncHeld = false;
    }
  }

  function transactionSync<T>(fn: (db: SqlDb) => T): Promise<T> {
    if (insider() || syncHeld) return Promise.reject(new EngineInTransactionError());
    if (holder === null && writes.idle()) {
      try {
        if (beginOnce() === null) return Promise.resolve(commitSync(fn));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return inQueue(async () => {
      await beginImmediate();
      return commitSync(fn);
    });
  }
  /** The members gathered in this turn; a flush is scheduled while it is non-empty. */
  let group: GroupMember[] = [];

  function transactionGrouped<T>(fn: (db: SqlDb) => T): Promise<T> {
    if (insider() || syncHeld) return Promise.reject(new EngineInTransactionError());
    return new Promise<T>((resolve, reject) => {
      if (group.length === 0) setImmediate(flushGroup);
      group.push({ fn, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  function flushGroup(): void {
    const members = group;
    group = [];
    if (members.length === 1) {
      const only = members[0]!;
      transactionSync(only.fn).then(only.resolve, only.reject);
      return;
    }
    transactionSync((db) => runMembers(db, members)).then(
      (outcomes) => outcomes.forEach((o, i) => (o.ok ? members[i]!.resolve(o.value) : members[i]!.reject(o.err))),
      (err: unknown) => members.forEach((m) => m.reject(err)),
    );
  }

  /** Each member in its savepoint. `members` is cut back to those the transaction held. */
  function runMembers(db: SqlDb, members: GroupMember[]): Array<{ ok: true; value: unknown } | { ok: false; err: unknown }> {
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; err: unknown }> = [];
    for (let i = 0; i < members.length; i++) {
      db.run(`SAVEPOINT ${MEMBER}`);
      try {
        const value = members[i]!.fn(db);
        db.run(`RELEASE ${MEMBER}`);
        outcomes.push({ ok: true, value });
      } catch (err) {
        if (!db.inTransaction) {
          // SQLite ended the whole transaction (I/O error, disk full): the members before this
          // one went with it and fail with its error; the ones after run in a transaction of their own.
          for (const later of members.splice(i + 1)) {
            if (group.length === 0) setImmediate(flushGroup);
            group.push(later);
          }
          throw err;
        }
        db.run(`ROLLBACK TO ${MEMBER}`);
        db.run(`RELEASE ${MEMBER}`);
        outcomes.push({ ok: false, err });
      }
    }
    return outcomes;
  }

  function busy(): never {
    throw new WriterBusyError();
  }

  const db: SqlDb = {
    path,
    get orm() {
      return forReads().orm; // drizzle may write through it: no sql to tell, so it may wait
    },
    stats: writer.stats,
    get inTransaction() {
      return outsider() ? false : writer.inTransaction;
    },
    all: (sql, params) => forReads(sql).all(sql, params),
    get: (sql, params) => forReads(sql).get(sql, params),
    pluck: (sql, params) => forReads(sql).pluck(sql, params),
    run: (sql, params) => forWrites().run(sql, params),
    exec: (sql) => {
      forWrites().exec(sql);
      staleReads();
    },
    clearStatements: () => {
      writer.clearStatements();
      reader.clearStatements();
    },
    transaction: (fn) => forWrites().transaction(fn),
    snapshot: (fn) => forReads('SELECT').snapshot(fn),
    check: (sql) => forReads('SELECT').check(sql),
    columnsOf: (sql) => forReads('SELECT').columnsOf(sql),
    // A backup reads the last commit: from the read connection, never through an open transaction.
    backup: (destination) => reader.backup(destination),
    replaceFile: (replacement, keepOldAt) => {
      if (holder !== null) busy();
      if (reader !== writer) reader.close();
      try {
        waiting().replaceFile(replacement, keepOldAt);
      } finally {
        noWait = false; // a reopened writer has the default busy_timeout
        if (reader !== writer) reader = openReader(path, options);
      }
    },
    checkpoint: () => (holder === null ? waiting() : reader).checkpoint(),
    // The writer's: its own writes and every other connection's commits (the read connection's
    // data_version would move with our own commits too).
    writeMark: (table, dataVersion) => writer.writeMark(table, dataVersion),
    // The writer's, like writeMark's; a pragma that waits for no lock (not through `waiting()`,
    // which would set busy_timeout back for the next BEGIN to clear again).
    dataVersion: () => writer.dataVersion(),
    close: () => {
      if (reader !== writer) reader.close();
      waiting().close();
    },
  };

  return {
    kind: 'sqlite',
    dialect: sqliteDialect,
    db,
    all: (sql, params) => (!memory && READS.test(sql) ? reads.all(sql, params) : queued(() => direct.all(sql, params))),
    get: (sql, params) => (!memory && READS.test(sql) ? reads.get(sql, params) : queued(() => direct.get(sql, params))),
    run: (sql, params) => queued(() => direct.run(sql, params)),
    exec: (sql) => queued(() => direct.exec(sql)),
    execOne: (sql) => queued(() => direct.execOne(sql)),
    columnsOf: (sql) => (memory ? queued(() => direct.columnsOf(sql)) : reads.columnsOf(sql)),
    get readNow() {
      return memory ? null : reader;
    },
    transaction: (fn) =>
      queued(async () => {
        await beginImmediate();
        const state = { ended: false };
        const token = {};
        holder = token;
        try {
          const result = await context.run(token, () => fn(transactionOn(writer, 0, state, staleReads)));
          writer.run('COMMIT');
          return result;
        } catch (err) {
          rollback();
          throw err;
        } finally {
          state.ended = true;
          holder = null;
        }
      }),
    transactionSync,
    transactionGrouped,
    close: () => queued(() => db.close()),
  };
}
