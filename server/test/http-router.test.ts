/**
 * Hono picks its router from the whole route set on the first request: RegExpRouter when it can
 * express every route, else the trie router, which is slower on every request. One awkward route
 * (a static segment next to a parameter with more segments after it) is enough to fall back, so
 * this checks which one the real app ends up with.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SmartRouter } from 'hono/router/smart-router';
import { startServer, type TestServer } from './harness.ts';

const routers: Array<{ name: string }> = [];
const match = SmartRouter.prototype.match;
SmartRouter.prototype.match = function (this: { name: string }, ...args: Parameters<typeof match>) {
  routers.push(this);
  return match.apply(this, args);
};

let t: TestServer;
beforeAll(async () => {
  t = await startServer();
});
afterAll(async () => {
  SmartRouter.prototype.match = match;
  await t?.close();
});

it('serves the API through RegExpRouter', async () => {
  expect((await t.api('GET', '/api/health')).status).toBe(200);
  expect(routers.length).toBeGreaterThan(0);
  expect(routers.map((r) => r.name)).toContain('SmartRouter + RegExpRouter');
  expect(routers.map((r) => r.name)).not.toContain('SmartRouter + TrieRouter');
});

it('still answers the backup routes that share the prefix', async () => {
  expect((await t.api('POST', '/api/backups/upload', undefined)).status).toBe(401);
  expect((await t.api('POST', '/api/backups/other', undefined, t.adminToken)).status).toBe(404);
  expect((await t.api('POST', '/api/backups/missing.zip/restore', undefined, t.adminToken)).status).toBe(400);
});
