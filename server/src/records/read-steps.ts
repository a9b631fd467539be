/**
 * Read work written once for both ways of running it: a generator yields each query it needs
 * (`{ sql, params }`) and receives the rows. `runReads` drives it on the engine (or a transaction);
 * `runReadsSync` on the synchronous `SqlDb`, for callers that must finish in one turn (the
 * realtime fan-out renders `expand`/`fields` while delivering).
 */
import type { SqlDb, SqlQueryable } from '../db/index.ts';
import type { Row } from './serialize.ts';

export interface ReadStep {
  sql: string;
  params: unknown[];
}

export type Reads<T> = Generator<ReadStep, T, Row[]>;

export async function runReads<T>(reads: Reads<T>, q: SqlQueryable): Promise<T> {
  let step = reads.next();
  while (!step.done) step = reads.next(await q.all<Row>(step.value.sql, step.value.params));
  return step.value;
}

export function runReadsSync<T>(reads: Reads<T>, db: SqlDb): T {
  let step = reads.next();
  while (!step.done) step = reads.next(db.all<Row>(step.value.sql, step.value.params));
  return step.value;
}
