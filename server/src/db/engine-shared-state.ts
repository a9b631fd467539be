/**
 * State every process on one database shares, on an `SqlEngine` of either engine: the schema
 * version (SQLite: the `user_version` header field; Postgres: the `_schemaVersion` row, whose
 * update notifies the other nodes) and cron tick claims in `_cronRuns`. The synchronous forms
 * for `SqlDb` are schema-version.ts and tick-claims.ts.
 */
import type { SqlEngine, SqlQueryable, SqlTx } from './engine.ts';
import { TICK_CLAIM_RETENTION_MS } from './tick-claims.ts';
import { exec, get, run, type Steps } from './steps.ts';
import type { Dialect } from '../shared/dialect/index.ts';

export async function readSchemaVersionOn(q: SqlQueryable): Promise<number> {
  if (q.dialect.name === 'postgres') {
    return Number((await q.get<{ version: number }>('SELECT "version" FROM "_schemaVersion" WHERE "id" = 1'))?.version ?? 0);
  }
  return Number((await q.get<{ user_version: number }>('PRAGMA user_version'))?.user_version ?? 0);
}

/** Call inside the transaction that changes a collection definition; returns the new version. */
export async function bumpSchemaVersionOn(tx: SqlTx): Promise<number> {
  if (tx.dialect.name === 'postgres') {
    const row = await tx.get<{ version: number }>('UPDATE "_schemaVersion" SET "version" = "version" + 1 WHERE "id" = 1 RETURNING "version"');
    if (!row) throw new Error('The "_schemaVersion" row is missing: the database was not migrated.');
    return Number(row.version);
  }
  const next = ((await readSchemaVersionOn(tx)) + 1) | 0;
  // A pragma takes no bound parameters; the value is an integer we computed.
  await tx.exec(`PRAGMA user_version = ${next}`);
  return next;
}

/** True when this process won the tick `slotMs` of `name` (and should run it). */
export async function claimTickOn(engine: SqlEngine, name: string, slotMs: number, owner: string): Promise<boolean> {
  const insert = engine.dialect.insertIgnore('_cronRuns', ['name', 'slot', 'owner', 'claimed']);
  const res = await engine.run(insert, [name, slotMs, owner, Date.now()]);
  if (res.changes === 1) await engine.run('DELETE FROM "_cronRuns" WHERE "name" = ? AND "slot" < ?', [name, slotMs - TICK_CLAIM_RETENTION_MS]);
  return res.changes === 1;
}

/** The schema version as steps (for work written once for `SqlDb` and the engine). */
export function* readSchemaVersionSteps(dialect: Dialect): Steps<number> {
  if (dialect.name === 'postgres') return Number((yield* get<{ version: number }>('SELECT "version" FROM "_schemaVersion" WHERE "id" = 1'))?.version ?? 0);
  return Number((yield* get<{ user_version: number }>('PRAGMA user_version'))?.user_version ?? 0);
}

/** Bumps the schema version as steps; run them inside the transaction that changes a collection. */
export function* bumpSchemaVersionSteps(dialect: Dialect): Steps<void> {
  if (dialect.name === 'postgres') {
    yield* run('UPDATE "_schemaVersion" SET "version" = "version" + 1 WHERE "id" = 1');
    return;
  }
  const next = ((yield* readSchemaVersionSteps(dialect)) + 1) | 0;
  // A pragma takes no bound parameters; the value is an integer we computed.
  yield* exec(`PRAGMA user_version = ${next}`);
}
