/**
 * Vitest global setup of the `postgres` project (vitest.config.ts): one PostgreSQL from
 * test-support/postgres.ts for the whole run, its admin URL handed to the test processes as
 * HEARTH_TEST_PG_URL. The harness (server/test/harness.ts) makes a fresh database on it for
 * each test server; everything goes when the server stops at the end of the run.
 */
import { startPostgres, type TestPostgres } from './postgres.ts';

let pg: TestPostgres | undefined;

export async function setup(): Promise<void> {
  pg = await startPostgres();
  process.env.HEARTH_TEST_PG_URL = pg.url;
}

export async function teardown(): Promise<void> {
  await pg?.stop();
}
