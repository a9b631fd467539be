/**
 * Test harness: a real Hearth server on a free port over a real SQLite file in a temp dir,
 * with a superuser, and small HTTP helpers. Each test file starts its own.
 *
 * With HEARTH_TEST_DB=postgres (the `postgres` project of vitest.config.ts) every test server is
 * a node on a fresh database of the run's one PostgreSQL (test-support/postgres-global-setup.ts)
 * instead; `server.db` (SQLite's synchronous interface) then throws, so a suite that reads it
 * runs on SQLite only.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createServer, openServer, upsertSuperuser, type HearthServer, type ServerInput } from '../src/index.ts';

/** The engine test servers run on: HEARTH_TEST_DB=postgres, else SQLite. */
export const TEST_ENGINE: 'sqlite' | 'postgres' = process.env.HEARTH_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

function adminUrl(): string {
  const url = process.env.HEARTH_TEST_PG_URL;
  if (!url) throw new Error('HEARTH_TEST_DB=postgres needs the postgres project\'s global setup (HEARTH_TEST_PG_URL): run it as `vitest --project postgres`.');
  return url;
}

/** A new empty database on the run's PostgreSQL (or a copy of `template`, which must have no connections); returns its URL. */
export async function createTestDatabase(template?: string): Promise<string> {
  const admin = adminUrl();
  const name = `hearth_t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    const from = template ? ` TEMPLATE "${new URL(template).pathname.slice(1)}"` : '';
    await client.query(`CREATE DATABASE "${name}"${from}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A server for a test on the run's engine: `createServer` on SQLite; on PostgreSQL `openServer`
 * on `db` (default: a fresh database), its uploads on its own disk as on SQLite (`localFiles`,
 * unless the input says otherwise: each test server is the only node on its database).
 */
export async function openTestServer(input: ServerInput & { db?: string }): Promise<HearthServer> {
  if (TEST_ENGINE === 'sqlite') return createServer(input);
  return openServer({ localFiles: true, ...input, db: input.db ?? (await createTestDatabase()) });
}

export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'correct horse battery';

export interface TestServer {
  url: string;
  dir: string;
  /** The PostgreSQL database's URL when the run is on PostgreSQL (see createTestDatabase), else ''. */
  database: string;
  server: HearthServer;
  adminToken: string;
  /** fetch + JSON: returns status and parsed body (null for empty). */
  api(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/** `config` adds options (e.g. smtpUrl, trustedProxies) to the test defaults; HEARTH_TEST_LOG=error shows the server's log. */
export async function startServer(config: ServerInput = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-test-'));
  const server = await openTestServer({ dir, http: '127.0.0.1:0', logLevel: (process.env.HEARTH_TEST_LOG as 'silent') ?? 'silent', ...config });
  const target = TEST_ENGINE === 'sqlite' ? server.db : server.engine;
  await upsertSuperuser(target, server.registry, ADMIN_EMAIL, ADMIN_PASSWORD, { passwordParams: config.passwordParams });
  const { url } = await server.listen();
  const api: TestServer['api'] = async (method, path, body, token) => {
    const headers: Record<string, string> = {};
    let payload: string | undefined;
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    if (token) headers.authorization = token;
    const res = await fetch(url + path, { method, headers, body: payload });
    const text = await res.text();
    let parsed: unknown = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  const auth = await api('POST', '/api/collections/_superusers/auth-with-password', {
    identity: ADMIN_EMAIL,
    password: ADMIN_PASSWORD,
  });
  if (auth.status !== 200) throw new Error(`superuser auth failed: ${JSON.stringify(auth.body)}`);
  return {
    url,
    dir,
    database: server.config.db,
    server,
    adminToken: auth.body.token,
    api,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
