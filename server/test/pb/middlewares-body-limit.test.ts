/**
 * PocketBase's `apis/middlewares_body_limit_test.go`: custom routes under the server's body limit
 * (`/a`; Hearth's default is DEFAULT_BODY_LIMIT, 10 MiB, PocketBase's 32 MiB) and under a route's
 * own limit (`/b`, `{ bodyLimit: 20 }`, PocketBase's `BodyLimit(20)`). Plus a body of unknown
 * length (chunked), which is counted as it streams. Routes: server/test/fixtures/hooks-limits.ts.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BODY_LIMIT } from '../../src/config/config.ts';
import { startServer, type TestServer } from '../harness.ts';

const LIGHT_SCRYPT = { N: 2 ** 12, r: 8, p: 1 };
let t: TestServer;
let hooksDir: string;

beforeAll(async () => {
  hooksDir = mkdtempSync(join(tmpdir(), 'hearth-body-hooks-'));
  copyFileSync(join(import.meta.dirname, '../fixtures/hooks-limits.ts'), join(hooksDir, 'routes.ts'));
  t = await startServer({ hooksDir, passwordParams: LIGHT_SCRYPT });
});
afterAll(async () => {
  await t?.close();
  rmSync(hooksDir, { recursive: true, force: true });
});

async function post(path: string, size: number): Promise<number> {
  try {
    const res = await fetch(t.url + path, { method: 'POST', body: new Uint8Array(size) });
    await res.text();
    return res.status;
  } catch (err) {
    throw new Error(`POST ${path} (${size} bytes) failed: ${String(err)}`);
  }
}

describe('TestBodyLimitMiddleware', () => {
  for (const [path, size, status] of [
    ['/a', 21, 200],
    ['/a', DEFAULT_BODY_LIMIT + 1, 413],
    ['/b', 20, 200],
    ['/b', 21, 413],
  ] as const) {
    it(`${path}_${size}`, async () => {
      expect(await post(path, size)).toBe(status);
    });
  }
});

describe('route body limit: Hearth specifics', () => {
  const chunked = (text: string) =>
    fetch(t.url + '/b-read', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(text));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);

  it('counts a body of unknown length as it streams: over the route limit is a 413 with the error shape', async () => {
    const res = await chunked(JSON.stringify({ text: 'x'.repeat(40) }));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ status: 413, data: {} });
  });

  it('lets a body of unknown length under the route limit through', async () => {
    const res = await chunked('{"a":1}');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ a: 1 });
  });
});
