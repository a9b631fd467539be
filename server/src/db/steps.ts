/**
 * Database work written once for both ways of running it: a generator yields each statement it
 * needs (`{ sql, params }`; `write: true` for one that changes rows) and receives the rows (none
 * for a write); a failed statement is thrown into the generator, so its own try/catch applies.
 * `runSteps` drives it on the engine (or a transaction); `runStepsSync` on the synchronous
 * `SqlDb`, for callers that must finish in one turn (the realtime fan-out and its token checks).
 */
import type { SqlDb } from './database.ts';
import type { Row, SqlQueryable } from './engine.ts';

export interface Step {
  sql: string;
  params: unknown[];
  write?: boolean;
}

export type Steps<T> = Generator<Step, T, Row[]>;

export async function runSteps<T>(steps: Steps<T>, q: SqlQueryable): Promise<T> {
  let next = steps.next();
  while (!next.done) {
    const { sql, params, write } = next.value;
    let rows: Row[];
    try {
      rows = write ? (await q.run(sql, params), []) : await q.all<Row>(sql, params);
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
    const { sql, params, write } = next.value;
    let rows: Row[];
    try {
      rows = write ? (db.run(sql, params), []) : db.all<Row>(sql, params);
    } catch (err) {
      next = steps.throw(err);
      continue;
    }
    next = steps.next(rows);
  }
  return next.value;
}
