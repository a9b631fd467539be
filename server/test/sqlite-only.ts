/**
 * Cases for a SQLite-only feature in a suite that runs on both engines: on PostgreSQL (the
 * `postgres` vitest project) each is reported as skipped with its reason, never dropped silently.
 */
import { it } from 'vitest';
import { TEST_ENGINE } from './harness.ts';

/** `it(name, fn)` on SQLite; on PostgreSQL a skipped case whose name carries `reason`. */
export function itSqliteOnly(name: string, reason: string, fn: () => Promise<void>, timeout?: number): void {
  if (TEST_ENGINE === 'postgres') it.skip(`${name} (SQLite only: ${reason})`, () => {});
  else it(name, fn, timeout);
}
