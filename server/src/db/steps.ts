/**
 * Database work written once for both ways of running it: a generator yields each statement it
 * needs and receives the rows (none for a write); a failed statement is thrown into the
 * generator, so its own try/catch applies. `runSteps` drives it on the engine (or a
 * transaction); `runStepsSync` on the synchronous `SqlDb`, for callers that must finish in one
 * turn (the realtime fan-out and its token checks, the registry's per-request stale check, the
 * synchronous SQLite start-up). Kinds: a read (rows back), `write: true` (rows changed, none
 * back), `exec` (statements without parameters: DDL), `one` (exactly one statement without
 * parameters, refused otherwise), `columns` (the column names a SELECT would return, as rows
 * `{ name }`, without running it).
 */
import { sqliteDialect, type Dialect } from '../shared/dialect/index.ts';
import type { SqlDb } from './database.ts';
import type { Row, SqlEngine, SqlQueryable } from './engine.ts';

export interface Step {
  sql: string;
  params: unknown[];
  write?: boolean;
  kind?: 'exec' | 'one' | 'columns';
}

export type Steps<T> = Generator<Step, T, Row[]>;

const NONE: Row[] = [];
const named = (names: string[]): Row[] => names.map((name) => ({ name }));

async function stepOn(q: SqlQueryable, { sql, params, write, kind }: Step): Promise<Row[]> {
  if (kind === 'exec') return (await q.exec(sql), NONE);
  if (kind === 'one') return (await q.execOne(sql), NONE);
  if (kind === 'columns') return named(await q.columnsOf(sql));
  return write ? (await q.run(sql, params), NONE) : q.all<Row>(sql, params);
}

function stepSync(db: SqlDb, { sql, params, write, kind }: Step): Row[] {
  if (kind === 'exec') return (db.exec(sql), NONE);
  if (kind === 'one') return (db.check(sql), db.exec(sql), NONE);
  if (kind === 'columns') return named(db.columnsOf(sql));
  return write ? (db.run(sql, params), NONE) : db.all<Row>(sql, params);
}

export async function runSteps<T>(steps: Steps<T>, q: SqlQueryable): Promise<T> {
  let next = steps.next();
  while (!next.done) {
    const step = next.value;
    let rows: Row[];
    try {
      // The common kinds inline: records' reads run here on every request.
      rows = step.kind ? await stepOn(q, step) : step.write ? (await q.run(step.sql, step.params), NONE) : await q.all<Row>(step.sql, step.params);
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
    try {
      rows = stepSync(db, next.value);
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
