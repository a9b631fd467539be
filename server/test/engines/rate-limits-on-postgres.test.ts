/**
 * Rate limits shared through `_rateLimits` by two `openServer` nodes on one PostgreSQL: a rule of
 * N requests per window is one budget for both nodes, so requests alternating between them get
 * their 429 at request N+1 — the settings' rules (`*:list`) and the auth endpoints' buckets
 * (`auth-methods:ip`) alike; a changed rule starts new buckets on both nodes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../../../test-support/postgres.ts';
import { START_TIMEOUT } from './both-engines.ts';
import { nodeApi, pgNodes } from './pg-nodes.ts';

const PASSWORD = 'correct horse battery';

let pg: TestPostgres;
const nodes = pgNodes('pglimits');
let admin = '';

async function node(url: string): Promise<string> {
  return (await nodes.start(url)).url;
}

const api = nodeApi;

type Rule = { label: string; maxRequests: number; duration: number };

/** Writes the rules on node `a` and waits until node `b` serves them (its settings note). */
async function setRules(a: string, b: string, rules: Rule[]): Promise<void> {
  const res = await api(a, 'PATCH', '/api/settings', { rateLimits: { rules } }, admin);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const wanted = JSON.stringify(rules.map((r) => r.maxRequests));
  for (let i = 0; i < 200; i++) {
    const seen = (await api(b, 'GET', '/api/settings', undefined, admin)).body.rateLimits.rules as Rule[];
    if (JSON.stringify(rules.map((r) => seen.find((s) => s.label === r.label)?.maxRequests)) === wanted) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the second node never saw the new rules');
}

/** `count` requests alternating between the nodes, their statuses in order. */
async function alternate(urls: string[], count: number, path: string): Promise<{ statuses: number[]; retryAfter: string | null }> {
  const statuses: number[] = [];
  let retryAfter: string | null = null;
  for (let i = 0; i < count; i++) {
    const res = await api(urls[i % urls.length]!, 'GET', path);
    statuses.push(res.status);
    if (res.status === 429) retryAfter = res.headers.get('retry-after');
  }
  return { statuses, retryAfter };
}

let a = '';
let b = '';

beforeAll(async () => {
  pg = await startPostgres();
  const url = await pg.createDatabase('rate_limits_on_pg');
  a = await node(url);
  b = await node(url);
  expect((await api(a, 'POST', '/api/install', { email: 'root@example.com', password: PASSWORD, passwordConfirm: PASSWORD })).status).toBeLessThan(300);
  admin = (await api(a, 'POST', '/api/collections/_superusers/auth-with-password', { identity: 'root@example.com', password: PASSWORD })).body.token;
  const posts = await api(a, 'POST', '/api/collections', { name: 'posts', type: 'base', listRule: '', fields: [{ name: 'title', type: 'text' }] }, admin);
  expect(posts.status, JSON.stringify(posts.body)).toBe(200);
}, START_TIMEOUT);

afterAll(async () => {
  await nodes.closeAll();
  await pg?.stop();
});

describe('rate limits on two nodes of one PostgreSQL', { timeout: 120_000 }, () => {
  it('counts a settings rule once for both nodes: the 429 comes at request N+1', async () => {
    await setRules(a, b, [{ label: '*:list', maxRequests: 5, duration: 3600 }]);
    const { statuses, retryAfter } = await alternate([a, b], 8, '/api/collections/posts/records');
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('counts an auth bucket once for both nodes', async () => {
    await setRules(a, b, [{ label: 'auth-methods:ip', maxRequests: 4, duration: 3600 }]);
    const { statuses } = await alternate([b, a], 6, '/api/collections/users/auth-methods');
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it('a changed rule starts new buckets on both nodes', async () => {
    await setRules(a, b, [{ label: '*:list', maxRequests: 3, duration: 3000 }]);
    const { statuses } = await alternate([b, a], 5, '/api/collections/posts/records');
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it('keeps the buckets in the database, charged at once', async () => {
    const rows = await nodes.list[0]!.server.engine.all<{ id: string; tokens: number }>('SELECT "id", "tokens" FROM "_rateLimits" WHERE "id" LIKE ? ORDER BY "id"', ['rules:%']);
    // Two list rules so far (5/3600 and 3/3000), each one bucket for the one client address, empty.
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.tokens < 1)).toEqual([true, true]);
  });
});
