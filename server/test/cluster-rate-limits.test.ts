/**
 * `hearth serve --workers 2` and the settings' rate-limit rules (PocketBase's `collection:action`,
 * path and tag labels): every worker charges the same buckets, so a rule of N per window admits N
 * requests whichever workers they reach, and a changed rule starts new buckets on all of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, Cluster, type WorkerClient } from './cluster-helpers.ts';

let cluster: Cluster & { dir: string };
let w1: WorkerClient;
let w2: WorkerClient;
let admin: string;

/** A window long enough that no token comes back while the test runs. */
const WINDOW_SECONDS = 3600;

async function setRule(on: WorkerClient, maxRequests: number): Promise<void> {
  const rules = [{ label: 'notes:create', audience: '', duration: WINDOW_SECONDS, maxRequests }];
  const r = await on.api('PATCH', '/api/settings', { rateLimits: { enabled: true, rules } }, admin);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

/** Resolves once worker `on` serves settings with the rule at `maxRequests` (another worker re-reads them on its peer's note). */
async function ruleSeen(on: WorkerClient, maxRequests: number): Promise<void> {
  const end = Date.now() + 20_000;
  for (;;) {
    const r = await on.api('GET', '/api/settings', undefined, admin);
    const rule = (r.body.rateLimits.rules as Array<{ label: string; maxRequests: number }>).find((x) => x.label === 'notes:create');
    if (rule?.maxRequests === maxRequests) return;
    if (Date.now() > end) throw new Error(`worker ${on.worker} never saw the rule at ${maxRequests}`);
    await new Promise((ok) => setTimeout(ok, 20));
  }
}

/** Guest creates alternating between the workers (worker 1 first), their statuses in order. */
async function alternate(count: number, first = 0): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = first; i < first + count; i++) {
    const r = await (i % 2 === 0 ? w1 : w2).api('POST', '/api/collections/notes/records', { title: `n${i}` });
    statuses.push(r.status);
  }
  return statuses;
}

beforeAll(async () => {
  cluster = await Cluster.start(2);
  w1 = cluster.on(1);
  w2 = cluster.on(2);
  admin = await adminToken(w1);
  const open = { listRule: '', viewRule: '', createRule: '', updateRule: '', deleteRule: '' };
  const r = await w1.api('POST', '/api/collections', { name: 'notes', fields: [{ name: 'title', type: 'text' }], ...open }, admin);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}, 90_000);

afterAll(async () => {
  w1?.close();
  w2?.close();
  await cluster?.stop();
});

describe('settings rate-limit rules across workers', () => {
  it('admits N requests of a rule of N per window in all, alternating between the workers', async () => {
    await setRule(w1, 4);
    await ruleSeen(w2, 4);
    expect(await alternate(5)).toEqual([200, 200, 200, 200, 429]);
    // Both workers refuse from now on: the bucket is the same one.
    expect(await alternate(2, 5)).toEqual([429, 429]);
    const refused = await w1.api('POST', '/api/collections/notes/records', { title: 'late' });
    expect(refused.body).toMatchObject({ status: 429 });
    // Superusers are exempt, on either worker.
    expect((await w2.api('POST', '/api/collections/notes/records', { title: 'admin' }, admin)).status).toBe(200);
  });

  it('starts new buckets on every worker when the rule changes', async () => {
    await setRule(w2, 6);
    await ruleSeen(w1, 6);
    expect(await alternate(7)).toEqual([200, 200, 200, 200, 200, 200, 429]);
    const count = await w1.api('GET', '/api/collections/notes/records?perPage=1', undefined, admin);
    // 4 + the superuser's + 6 records: no refused request wrote one.
    expect(count.body.totalItems).toBe(11);
  });
});
