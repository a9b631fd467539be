import { afterAll, beforeAll, expect, it } from 'vitest';
import { createFixtureCollections, startHearth, waitFor, type TestHearth } from './harness-proxy.ts';
let t: TestHearth;
beforeAll(async () => { t = await startHearth(); await createFixtureCollections(t.admin); });
afterAll(() => t.close());
it('resync → onResync and liveList refetch', async () => {
  (globalThis as any).RESYNC = true;
  const client = t.client({ realtime: { backoff: { initialDelay: 200, maxDelay: 200, jitter: 0 } } });
  let resyncs = 0;
  const seen: string[] = [];
  await client.collection('tags').subscribe({ onResync: () => resyncs++ }, (e) => seen.push(String(e.record.name)));
  const live = client.collection('tags').liveList({ sort: 'name' });
  await live.ready;
  await t.admin.collection('tags').create({ name: 'a' });
  await waitFor(() => live.items.length === 1 && seen.length === 1);
  t.dropAll();
  await t.admin.collection('tags').create({ name: 'b' });
  await t.admin.collection('tags').create({ name: 'c' });
  await waitFor(() => resyncs === 1, 5000, 'resync');
  await waitFor(() => live.items.length === 3, 5000, 'refetch');
  expect(live.items.map((x) => x.name)).toEqual(['a', 'b', 'c']);
  expect(seen).toEqual(['a']); // missed b, c: the caller was told to refetch
  await t.admin.collection('tags').create({ name: 'd' });
  await waitFor(() => seen.length === 2 && live.items.length === 4, 5000, 'live after resync');
  expect(client.realtime.status).toBe('open');
});
