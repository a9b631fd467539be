/**
 * Both engines for a test file: SQLite on a file in a temp dir and a real PostgreSQL from
 * test-support/postgres.ts, each behind `SqlEngine`. `close()` stops and removes both.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, type TestPostgres } from '../../../test-support/postgres.ts';
import { openPostgresEngine, openSqliteEngine, type SqlEngine } from '../../src/db/index.ts';

export interface BothEngines {
  sqlite: SqlEngine;
  postgres: SqlEngine;
  pg: TestPostgres;
  close(): Promise<void>;
}

export async function startBothEngines(): Promise<BothEngines> {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-engines-'));
  const pg = await startPostgres();
  const sqlite = openSqliteEngine(join(dir, 'data.db'));
  const postgres = openPostgresEngine(pg.url);
  return {
    sqlite,
    postgres,
    pg,
    close: async () => {
      await sqlite.close();
      await postgres.close();
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Startup of initdb + server on a loaded machine: CPU, not logic. */
export const START_TIMEOUT = 120_000;
