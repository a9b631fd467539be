/**
 * Read workers for costly client queries: a few worker threads, each with its own read-only
 * connection to the data file (WAL lets them read while the main connection writes), so a filter
 * that takes seconds runs beside the event loop instead of on it, and health checks and writes
 * keep answering. Each statement has a time budget: the SQL calls `hearth_budget()` per row (see
 * `BUDGET_CHECK`), which stops it past its deadline; a worker that still does not answer is ended
 * and replaced. Threads start with the first such query. Where they cannot load the driver (the
 * single executable embeds it in the main thread only), reads fail with `ReadPoolUnavailable`,
 * the pool marks itself unavailable, and callers read inline.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { AppError } from '../shared/errors.ts';
import { mapSqliteError } from './sqlite-errors.ts';
import { readWorkerMain } from './read-worker-main.ts';
import { bindValue } from './engine.ts';

/** Worker threads for costly reads; the main thread keeps the rest of the machine. */
export const READ_WORKERS = 2;
/** How long one client query may run before it is stopped with a 400. */
export const QUERY_BUDGET_MS = 3000;
/** Costly queries waiting for a worker; past this, new ones get a 429. */
export const READ_QUEUE_LIMIT = 64;
/** After the budget, how long a worker gets to stop a statement itself before it is ended. */
const TERMINATE_GRACE_MS = 1000;

/** The condition a statement run on a read worker must include once per row it visits. */
export const BUDGET_CHECK = 'hearth_budget()';

export interface ReadPool {
  /** Rows of a SELECT whose text contains `BUDGET_CHECK`, run on a worker within `budgetMs`. */
  all<T = Record<string, unknown>>(sql: string, params: readonly unknown[], budgetMs?: number): Promise<T[]>;
  pluck<T = unknown>(sql: string, params: readonly unknown[], budgetMs?: number): Promise<T[]>;
  readonly budgetMs: number;
  /** False once a worker could not open the file (the driver cannot load there): read inline. */
  readonly available: boolean;
  /** False: the pool stops statements itself (PostgreSQL's statement_timeout); the SQL need not call BUDGET_CHECK. */
  readonly checksRows?: boolean;
  close(): Promise<void>;
}

export interface ReadPoolOptions {
  workers?: number;
  budgetMs?: number;
  queueLimit?: number;
}

interface Job {
  id: number;
  sql: string;
  params: unknown[];
  pluck: boolean;
  budgetMs: number;
  resolve: (rows: unknown[]) => void;
  reject: (err: unknown) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

type Reply = { ready?: boolean; id: number; rows?: unknown[]; error?: { code?: string; message?: string; budget?: boolean } };

/** What queued reads fail with when the workers cannot run here; callers then read inline. */
export class ReadPoolUnavailable extends Error {}

export const overBudget = (ms: number) =>
  new AppError('bad_request', `The query took longer than its ${ms} ms budget. Narrow the filter or sort, or add an index.`, {});

function driverPath(): string | null {
  try {
    return createRequire(import.meta.url).resolve('better-sqlite3');
  } catch {
    return null;
  }
}

export function openReadPool(path: string, options: ReadPoolOptions = {}): ReadPool | null {
  const driver = driverPath();
  if (!driver) return null;
  const size = Math.max(1, options.workers ?? READ_WORKERS);
  const budgetMs = options.budgetMs ?? QUERY_BUDGET_MS;
  const queueLimit = options.queueLimit ?? READ_QUEUE_LIMIT;
  const source = `(${readWorkerMain.toString()})()`;
  const queue: Job[] = [];
  const slots: Slot[] = [];
  let nextId = 1;
  let closed = false;
  /** Set when a worker fails before it is ready: the driver cannot load there, so none is respawned. */
  let broken = false;

  const spawn = (): Slot => {
    const worker = new Worker(source, { eval: true, workerData: { driver, path } });
    worker.unref();
    const slot: Slot = { worker, ready: false, job: null, timer: null };
    worker.on('message', (reply: Reply) => {
      if (reply.ready) {
        slot.ready = true;
        pump();
      } else finish(slot, reply);
    });
    const unready = () => {
      if (slot.ready || broken) return;
      broken = true;
      for (const job of queue.splice(0)) job.reject(new ReadPoolUnavailable('read workers cannot start here'));
    };
    worker.on('error', (err) => {
      unready();
      fail(slot, err);
    });
    worker.on('exit', () => {
      if (closed) return;
      if (slot.job) fail(slot, new Error('read worker exited'));
      unready();
      if (!broken) replace(slot);
    });
    return slot;
  };

  const replace = (slot: Slot): void => {
    const i = slots.indexOf(slot);
    if (i < 0 || closed) return;
    slots[i] = spawn();
    pump();
  };

  const settle = (slot: Slot): Job | null => {
    const job = slot.job;
    slot.job = null;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    return job;
  };

  const finish = (slot: Slot, reply: Reply): void => {
    const job = slot.job;
    if (!job || job.id !== reply.id) return;
    settle(slot);
    if (reply.error) {
      if (reply.error.budget) job.reject(overBudget(job.budgetMs));
      else job.reject(mapSqliteError(Object.assign(new Error(reply.error.message ?? 'read failed'), { code: reply.error.code })));
    } else job.resolve(reply.rows ?? []);
    pump();
  };

  const fail = (slot: Slot, err: unknown): void => {
    const job = settle(slot);
    job?.reject(mapSqliteError(err));
  };

  const pump = (): void => {
    for (const slot of slots) {
      if (!slot.ready || slot.job || queue.length === 0) continue;
      const job = queue.shift()!;
      slot.job = job;
      slot.timer = setTimeout(() => {
        // The statement did not stop itself: end the thread (a later row check stops SQLite) and replace it.
        if (slot.job !== job) return;
        settle(slot);
        job.reject(overBudget(job.budgetMs));
        const i = slots.indexOf(slot);
        if (i >= 0) slots[i] = spawn();
        void slot.worker.terminate();
        pump();
      }, job.budgetMs + TERMINATE_GRACE_MS);
      slot.worker.postMessage({ id: job.id, sql: job.sql, params: job.params, pluck: job.pluck, budgetMs: job.budgetMs });
    }
  };


  const run = <T>(sql: string, params: readonly unknown[], pluck: boolean, budget = budgetMs): Promise<T[]> => {
    if (closed) return Promise.reject(new AppError('internal', 'The server is shutting down.', {}));
    if (broken) return Promise.reject(new ReadPoolUnavailable('read workers cannot start here'));
    // Threads start with the first costly query, so a server that never sees one pays nothing.
    while (slots.length < size) slots.push(spawn());
    if (queue.length >= queueLimit) {
      return Promise.reject(new AppError('rate_limited', 'Too many costly queries are waiting. Try again shortly.', {}));
    }
    return new Promise<T[]>((resolve, reject) => {
      queue.push({ id: nextId++, sql, params: params.map(bindValue), pluck, budgetMs: budget, resolve: resolve as (rows: unknown[]) => void, reject });
      pump();
    });
  };

  return {
    budgetMs,
    get available() {
      return !broken && !closed;
    },
    all: (sql, params, budget) => run(sql, params, false, budget),
    pluck: (sql, params, budget) => run(sql, params, true, budget),
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new AppError('internal', 'The server is shutting down.', {}));
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
