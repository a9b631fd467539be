/**
 * Test harness: a real Hearth server on a free port over a real SQLite file in a temp dir,
 * with a superuser, and small HTTP helpers. Each test file starts its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, upsertSuperuser, type HearthServer, type ServerInput } from '../src/index.ts';

export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'correct horse battery';

export interface TestServer {
  url: string;
  dir: string;
  server: HearthServer;
  adminToken: string;
  /** fetch + JSON: returns status and parsed body (null for empty). */
  api(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/** `config` adds options (e.g. smtpUrl, trustedProxies) to the test defaults. */
export async function startServer(config: ServerInput = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-test-'));
  const server = createServer({ dir, http: '127.0.0.1:0', logLevel: 'silent', ...config });
  await upsertSuperuser(server.db, server.registry, ADMIN_EMAIL, ADMIN_PASSWORD, { passwordParams: config.passwordParams });
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
    server,
    adminToken: auth.body.token,
    api,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
