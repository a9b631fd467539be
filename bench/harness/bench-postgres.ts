/**
 * The PostgreSQL database a Postgres target runs on: a fresh database on the server of
 * HEARTH_BENCH_PG (created for the target and dropped with it, so raw-pg and hearth-pg never
 * share tables), else a PostgreSQL started for the target (test-support/postgres.ts), stopped with it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startPostgres } from '../../test-support/postgres.ts';

export interface BenchPostgres {
  url: string;
  stop(): Promise<void>;
}

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function benchPostgres(target: string): Promise<BenchPostgres> {
  const given = process.env.HEARTH_BENCH_PG;
  if (given) {
    const name = `bench_${target.replace(/[^a-z0-9]/g, '_')}_${randomBytes(4).toString('hex')}`;
    await onServer(given, `CREATE DATABASE "${name}"`);
    const url = new URL(given);
    url.pathname = `/${name}`;
    return { url: url.toString(), stop: () => onServer(given, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
  }
  const server = await startPostgres();
  return { url: await server.createDatabase('bench'), stop: () => server.stop() };
}
