/**
 * Database work written once for both ways of running it: a generator yields each statement it
 * needs and receives the rows (none for a write); a failed statement is thrown into the
 * generator, so its own try/catch applies. `runSteps` drives it on the engine (or a
 * transaction); `runStepsSync` on the synchronous `SqlDb`, for callers that must finish in one
 * turn (the realtime fan-out and its token checks, the registry's per-request stale check, the
 * synchronous SQLite start-up). Kinds: a read (rows back), `write: true` (rows changed, none
 * back), `exec` (statements without parameters: DDL), `one` (exactly one statement without
 * parameters, refused otherwise), `columns` (the column names a SELECT would return, as rows
 * `{ name }`, without running it), `changes` (a write's row count as `[{ changes }]`); and a
 * `wait` for a promise between statements, which only `runSteps` can do. `transactionSteps` runs
 * a write's steps in one transaction — on SQLite, when nothing waits, synchronously.
 */
import { sqliteDialect, type Dialect } from '../shared/dialect/index.ts';
import type { SqlDb } from './database.ts';
import type { Row, SqlEngine, SqlQueryable } from './engine.ts';
import type { SqliteEngine } from './sqlite-engine.ts';

export interface Step {
  sql: string;
  params: unknown[];
  write?: boolean;
  /** `changes`: a write whose row count comes back as `[{ changes }]`. */
  kind?: 'exec' | 'one' | 'columns' | 'changes';
  /** Not a statement: a promise to wait for (a before-write hook's); only `runSteps` can. */
  wait?: PromiseLike<unknown>;
}

export type Steps<T> = Generator<Step, T, Row[]>;

const NONE: Row[] = [];
const named = (names: string[]): Row[] => names.map((name) => ({ name }));

async function stepOn(q: SqlQueryable, { sql, params, write, kind }: Step): Promise<Row[]> {
  if (kind === 'exec') return (await q.exec(sql), NONE);
  if (kind === 'one') return (await q.execOne(sql), NONE);
  if (kind === 'columns') return named(await q.columnsOf(sql));
  if (kind === 'changes') return [{ changes: (await q.run(sql, params)).changes }];
  return write ? (await q.run(sql, params), NONE) : q.all<Row>(sql, params);
}

function stepSync(db: SqlDb, { sql, params, write, kind }: Step): Row[] {
  if (kind === 'exec') return (db.exec(sql), NONE);
  if (kind === 'one') return (db.check(sql), db.exec(sql), NONE);
  if (kind === 'columns') return named(db.columnsOf(sql));
  if (kind === 'changes') return [{ changes: db.run(sql, params).changes }];
  return write ? (db.run(sql, params), NONE) : db.all<Row>(sql, params);
}

/** Thrown out of runStepsSync (not into the generator) when a step would have to wait. */
export class CannotWaitError extends Error {
  constructor() {
    super('This work waits on a promise and cannot run synchronously; run it with runSteps.');
  }
}

export async function runSteps<T>(steps: Steps<T>, q: SqlQueryable): Promise<T> {
  let next = steps.next();
  while (!next.done) {
    const step = next.value;
    let rows: Row[];
    try {
      // The common kinds inline: records' reads run here on every request.
      rows = step.wait ? (await step.wait, NONE) : step.kind ? await stepOn(q, step) : step.write ? (await q.run(step.sql, step.params), NONE) : await q.all<Row>(step.sql, step.params);
    } catch (err) {
      next = steps.throw(err);
      continue;
    }
    next = steps.next(rows);
  }
  return next.value;
}

export function runStepsSync<T>(steps: Steps<T>, db: SqlDb): T {
  let next = steps.next();
  while (!next.done) {
    let rows: Row[];
    const step = next.value;
    if (step.wait) {
      Promise.resolve(step.wait).catch(() => {}); // its outcome is nobody's now
      throw new CannotWaitError();
    }
    try {
      rows = stepSync(db, step);
    } catch (err) {
      next = steps.throw(err);
      continue;
    }
    next = steps.next(rows);
  }
  return next.value;
}

/** SQLite's synchronous interface (the CLI on a data dir, a synchronous start) or the engine of either kind. */
export type StepsTarget = SqlDb | SqlEngine;

export const isEngine = (target: StepsTarget): target is SqlEngine => 'dialect' in target;

/** The steps on whichever target was given: a value on `SqlDb`, a promise on the engine. */
export function runStepsOn<T>(target: SqlDb, work: (dialect: Dialect) => Steps<T>): T;
export function runStepsOn<T>(target: SqlEngine, work: (dialect: Dialect) => Steps<T>): Promise<T>;
export function runStepsOn<T>(target: StepsTarget, work: (dialect: Dialect) => Steps<T>): T | Promise<T>;
export function runStepsOn<T>(target: StepsTarget, work: (dialect: Dialect) => Steps<T>): T | Promise<T> {
  return isEngine(target) ? runSteps(work(target.dialect), target) : runStepsSync(work(sqliteDialect), target);
}

/** The steps in one write transaction on whichever target was given. */
export function transactionOn<T>(target: SqlDb, work: (dialect: Dialect) => Steps<T>): T;
export function transactionOn<T>(target: SqlEngine, work: (dialect: Dialect) => Steps<T>): Promise<T>;
export function transactionOn<T>(target: StepsTarget, work: (dialect: Dialect) => Steps<T>): T | Promise<T>;
export function transactionOn<T>(target: StepsTarget, work: (dialect: Dialect) => Steps<T>): T | Promise<T> {
  if (isEngine(target)) return target.transaction((tx) => runSteps(work(tx.dialect), tx));
  return target.transaction(() => runStepsSync(work(sqliteDialect), target));
}

/** A queryable for work written as steps, which must issue no statement of its own (its dialect only). */
function stepsOnly(dialect: SqlQueryable['dialect']): SqlQueryable {
  const refuse = (): never => {
    throw new Error('Statements of work run as steps must be yielded as steps.');
  };
  return { dialect, all: refuse, get: refuse, run: refuse, exec: refuse, execOne: refuse, columnsOf: refuse };
}

const isSqliteEngine = (engine: SqlEngine): engine is SqliteEngine => engine.kind === 'sqlite' && 'transactionSync' in engine;

/**
 * Runs the steps in one write transaction. On SQLite with `sync` (the steps never wait on a
 * promise) the whole transaction is one synchronous run on the writer (`transactionSync`: no
 * promise per statement; with `grouped`, `transactionGrouped`: at the end of the turn, sharing
 * one BEGIN … COMMIT with the turn's other grouped writes, each in its own savepoint); otherwise
 * they run through `runSteps` in an engine transaction.
 * `make` gets the queryable the work may hand on (the transaction; on the synchronous path one
 * that refuses statements, since every statement must be a step there).
 */
export function transactionSteps<T>(engine: SqlEngine, make: (q: SqlQueryable) => Steps<T>, sync: boolean, grouped = false): Promise<T> {
  if (sync && isSqliteEngine(engine)) {
    const work = (db: SqlDb) => runStepsSync(make(stepsOnly(engine.dialect)), db);
    return grouped ? engine.transactionGrouped(work) : engine.transactionSync(work);
  }
  return engine.transaction((tx) => runSteps(make(tx), tx));
}

// ---- small step builders, composed with `yield*` ----

/** Rows of a read. */
export function* all<T = Row>(sql: string, params: unknown[] = []): Generator<Step, T[], Row[]> {
  return (yield { sql, params }) as T[];
}

/** The first row of a read. */
export function* get<T = Row>(sql: string, params: unknown[] = []): Generator<Step, T | undefined, Row[]> {
  return ((yield { sql, params }) as T[])[0];
}

/** A write (rows changed, none returned). */
export function* run(sql: string, params: unknown[] = []): Generator<Step, void, Row[]> {
  yield { sql, params, write: true };
}

/** A write whose count of changed rows is wanted. */
export function* runCounted(sql: string, params: unknown[] = []): Generator<Step, number, Row[]> {
  return Number((yield { sql, params, kind: 'changes' })[0]?.changes ?? 0);
}

/** Waits for a promise (a hook's) between statements; runStepsSync refuses such work. */
export function* wait(promise: PromiseLike<unknown>): Generator<Step, void, Row[]> {
  yield { sql: '', params: [], wait: promise };
}

/** Statements without parameters (DDL). */
export function* exec(sql: string): Generator<Step, void, Row[]> {
  yield { sql, params: [], kind: 'exec' };
}

/** Exactly one statement without parameters; text holding more than one is refused. */
export function* execOne(sql: string): Generator<Step, void, Row[]> {
  yield { sql, params: [], kind: 'one' };
}

/** The column names a SELECT would return (it is not run; an invalid one throws). */
export function* columnsOf(sql: string): Generator<Step, string[], Row[]> {
  return (yield { sql, params: [], kind: 'columns' }).map((r) => String(r.name));
}
