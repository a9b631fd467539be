/**
 * `SqlEngine` on SQLite: one writer connection whose work is queued — a transaction holds the
 * queue from BEGIN IMMEDIATE to COMMIT even across awaits, and autocommit writes wait their turn —
 * plus a read connection for reads outside transactions (WAL: they see the last commit and never
 * wait for the writer). An in-memory database has one connection, so its reads queue too.
 */
import { openDatabase, type OpenOptions, type SqlDb } from './database.ts';
import { savepointName, TransactionEndedError, type SqlEngine, type SqlQueryable, type SqlTx } from './engine.ts';
import { sqliteDialect } from '../shared/dialect/index.ts';

function queue() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => T | Promise<T>): Promise<T> => {
    const result = tail.then(fn);
    tail = result.catch(() => {});
    return result;
  };
}

/** Statements on one connection, as promises (SqlDb already maps SQLite errors to AppError). */
function over(db: SqlDb, alive: () => void): SqlQueryable {
  return {
    dialect: sqliteDialect,
    all: async (sql, params) => (alive(), db.all(sql, params)),
    get: async (sql, params) => (alive(), db.get(sql, params)),
    run: async (sql, params) => (alive(), { changes: db.run(sql, params).changes }),
    exec: async (sql) => (alive(), db.exec(sql)),
  };
}

function transactionOn(db: SqlDb, depth: number, state: { ended: boolean }): SqlTx {
  const alive = () => {
    if (state.ended) throw new TransactionEndedError();
  };
  return {
    ...over(db, alive),
    savepoint: async (fn) => {
      alive();
      const name = savepointName(depth + 1);
      db.run(`SAVEPOINT ${name}`);
      const inner = { ended: false };
      try {
        const result = await fn(transactionOn(db, depth + 1, inner));
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

export function openSqliteEngine(path: string, options: OpenOptions = {}): SqlEngine {
  const writer = openDatabase(path, options);
  const memory = path === ':memory:' || path === '';
  const reader = memory ? writer : openDatabase(path, options);
  const inQueue = queue();
  const direct = over(writer, () => {});
  const reads = over(reader, () => {});
  return {
    kind: 'sqlite',
    dialect: sqliteDialect,
    all: (sql, params) => (memory ? inQueue(() => direct.all(sql, params)) : reads.all(sql, params)),
    get: (sql, params) => (memory ? inQueue(() => direct.get(sql, params)) : reads.get(sql, params)),
    run: (sql, params) => inQueue(() => direct.run(sql, params)),
    exec: (sql) => inQueue(() => direct.exec(sql)),
    transaction: (fn) =>
      inQueue(async () => {
        writer.run('BEGIN IMMEDIATE');
        const state = { ended: false };
        try {
          const result = await fn(transactionOn(writer, 0, state));
          writer.run('COMMIT');
          return result;
        } catch (err) {
          if (writer.inTransaction) writer.run('ROLLBACK');
          throw err;
        } finally {
          state.ended = true;
        }
      }),
    close: () =>
      inQueue(() => {
        if (reader !== writer) reader.close();
        writer.close();
      }),
  };
}
