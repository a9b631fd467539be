/**
 * The superuser SQL runner (`POST /api/sql`): each script runs in a child process with its own
 * connection to the data file, one script at a time. A script past its time budget is stopped by
 * killing that process — SQLite cannot be interrupted from JavaScript, and a killed writer's
 * uncommitted transaction is rolled back by SQLite's journal — so no query can stall the server or
 * hold the write lock longer than the budget. The next script starts a new process. Where no child
 * process can load the driver (the single executable), scripts run on a second connection in the
 * server's own thread, without a time budget.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { isSea } from 'node:sea';
import Database from 'better-sqlite3';
import { AppError } from '../shared/errors.ts';
import { runSqlScript, type SqlScriptResult } from './sql-script.ts';

/** How long one script may run before its process is killed (PocketBase allows 3 minutes; a
 * write holding the lock that long would make every other write fail its 5 s busy wait). */
export const SQL_BUDGET_MS = 30_000;
/** Rows returned for the last statement that yields rows (PocketBase's cap); the rest are dropped. */
export const SQL_MAX_ROWS = 1000;

export interface SqlRunner {
  run(sql: string): Promise<SqlScriptResult>;
  readonly budgetMs: number;
  close(): void;
}

interface Reply {
  ready?: boolean;
  id?: number;
  result?: SqlScriptResult;
  error?: { code?: string; message?: string };
}

/** sqlite3_errstr() of the primary result codes, which PocketBase's driver puts before the message. */
const ERRSTR: Record<string, string> = {
  SQLITE_ERROR: 'SQL logic error',
  SQLITE_INTERNAL: 'internal logic error',
  SQLITE_PERM: 'access permission denied',
  SQLITE_ABORT: 'query aborted',
  SQLITE_BUSY: 'database is locked',
  SQLITE_LOCKED: 'database table is locked',
  SQLITE_NOMEM: 'out of memory',
  SQLITE_READONLY: 'attempt to write a readonly database',
  SQLITE_IOERR: 'disk I/O error',
  SQLITE_CORRUPT: 'database disk image is malformed',
  SQLITE_FULL: 'database or disk is full',
  SQLITE_CANTOPEN: 'unable to open database file',
  SQLITE_SCHEMA: 'database schema has changed',
  SQLITE_TOOBIG: 'string or blob too big',
  SQLITE_CONSTRAINT: 'constraint failed',
  SQLITE_MISMATCH: 'datatype mismatch',
  SQLITE_RANGE: 'column index out of range',
  SQLITE_AUTH: 'authorization denied',
};

function failed(error: { code?: string; message?: string }): AppError {
  const primary = /^SQLITE_[A-Z]+/.exec(error.code ?? '')?.[0] ?? '';
  const prefix = ERRSTR[primary] ? `${ERRSTR[primary]}: ` : '';
  return new AppError('bad_request', `Failed to execute query. Raw error:\n${prefix}${error.message ?? 'unknown error'}`, {});
}

const overBudget = (ms: number) =>
  new AppError('bad_request', `The query took longer than its ${ms} ms budget and was stopped; its uncommitted writes were rolled back.`, {});

/** The child's program: one connection, scripts in order, replies over the IPC channel. */
function childMain(run: typeof runSqlScript): void {
  const Driver = require(process.env.HEARTH_SQL_DRIVER!) as typeof Database;
  const db = new Driver(process.env.HEARTH_SQL_PATH!, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  process.on('disconnect', () => process.exit(0));
  process.on('message', (msg: { id: number; sql: string; maxRows: number }) => {
    try {
      process.send!({ id: msg.id, result: run(db, msg.sql, msg.maxRows) });
    } catch (err) {
      const e = err as { code?: string; message?: string };
      process.send!({ id: msg.id, error: { code: e.code, message: e.message } });
    }
  });
  process.send!({ ready: true });
}

function driverPath(): string | null {
  // The single executable runs its own program whatever it is given: it cannot be the child.
  if (isSea()) return null;
  try {
    return createRequire(import.meta.url).resolve('better-sqlite3');
  } catch {
    return null;
  }
}

export function openSqlRunner(path: string, options: { budgetMs?: number } = {}): SqlRunner {
  const budgetMs = options.budgetMs ?? SQL_BUDGET_MS;
  const driver = driverPath();
  let child: ChildProcess | null = null;
  let ready: Promise<ChildProcess> | null = null;
  let inline: Database.Database | null = null;
  let tail: Promise<unknown> = Promise.resolve();
  let nextId = 1;
  let closed = false;

  const start = (): Promise<ChildProcess> => {
    const source = `(${childMain.toString()})(${runSqlScript.toString()})`;
    const proc = spawn(process.execPath, ['-e', source], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, HEARTH_SQL_DRIVER: driver!, HEARTH_SQL_PATH: path, NODE_OPTIONS: '' },
    });
    child = proc;
    let stderr = '';
    proc.stderr?.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-2000)));
    proc.once('exit', () => {
      if (child === proc) {
        child = null;
        ready = null;
      }
    });
    return new Promise((resolve, reject) => {
      proc.once('message', (m: Reply) => (m.ready ? resolve(proc) : reject(new Error('unexpected first message'))));
      proc.once('exit', (code) => reject(new AppError('bad_request', `The SQL runner could not start (exit ${code}): ${stderr.trim()}`, {})));
      proc.once('error', reject);
    });
  };

  const inChild = async (sql: string): Promise<SqlScriptResult> => {
    const proc = await (ready ??= start());
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        // The next script starts a new process, whenever this one is gone.
        if (child === proc) {
          child = null;
          ready = null;
        }
        proc.kill('SIGKILL');
        reject(overBudget(budgetMs));
      }, budgetMs);
      const onMessage = (m: Reply) => {
        if (m.id !== id) return;
        cleanup();
        if (m.error) reject(failed(m.error));
        else resolve(m.result!);
      };
      const onExit = () => {
        cleanup();
        reject(new AppError('bad_request', 'The SQL runner stopped before the query finished.', {}));
      };
      const cleanup = () => {
        clearTimeout(timer);
        proc.off('message', onMessage);
        proc.off('exit', onExit);
      };
      proc.on('message', onMessage);
      proc.once('exit', onExit);
      proc.send({ id, sql, maxRows: SQL_MAX_ROWS });
    });
  };

  const inProcess = async (sql: string): Promise<SqlScriptResult> => {
    if (!inline) {
      inline = new Database(path, { fileMustExist: true });
      inline.pragma('busy_timeout = 5000');
      inline.pragma('foreign_keys = ON');
    }
    try {
      return runSqlScript(inline, sql, SQL_MAX_ROWS);
    } catch (err) {
      throw failed(err as { code?: string; message?: string });
    }
  };

  return {
    budgetMs,
    run(sql) {
      if (closed) return Promise.reject(new AppError('internal', 'The server is shutting down.', {}));
      const job = tail.then(() => (driver ? inChild(sql) : inProcess(sql)));
      tail = job.catch(() => undefined);
      return job;
    },
    close() {
      closed = true;
      child?.kill('SIGKILL');
      child = null;
      inline?.close();
      inline = null;
    },
  };
}
