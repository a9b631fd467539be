/**
 * A consumer that stops reading is cut off with 1013 once its queue passes the limit, while a
 * normal subscriber on the same server keeps receiving every change. Small limits keep it quick;
 * the writes continue until the server reports the close (no sleeping, no timing assertions).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRealtimeServer, WsClient, type RtServer } from './realtime-helpers.ts';

let t: RtServer;
const PER_BATCH = 10;
/** Bounds the test: ~100 MB through loopback at most, far more than socket buffers hold. */
const MAX_BATCHES = 100;

beforeAll(async () => {
  t = await startRealtimeServer({ maxQueueMessages: 50, maxQueueBytes: 64 * 1024 * 1024, highWaterBytes: 256 * 1024 });
  const r = await t.api(
    'POST',
    '/api/collections',
    { name: 'blobs', fields: [{ name: 'body', type: 'text', max: 200_000 }], listRule: '', viewRule: '', createRule: '' },
    t.adminToken,
  );
  expect(r.status, JSON.stringify(r.body)).toBe(200);
});
afterAll(() => t.close());

it('closes a consumer that never reads with 1013; others keep receiving', async () => {
  const normal = await WsClient.open(t.wsUrl);
  const slow = await WsClient.open(t.wsUrl);
  await normal.subscribe({ id: 'b', collection: 'blobs' });
  await slow.subscribe({ id: 'b', collection: 'blobs' });
  const socket = (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  socket.pause(); // the slow client stops reading: the server's buffers fill up

  const body = 'x'.repeat(100_000);
  let written = 0;
  for (let batch = 0; batch < MAX_BATCHES && t.server.realtime.stats().closedSlow === 0; batch++) {
    const requests = Array.from({ length: PER_BATCH }, () => ({ method: 'POST', url: '/api/collections/blobs/records', body: { body } }));
    const res = await t.api('POST', '/api/batch', { requests }, t.adminToken);
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    written += PER_BATCH;
    await normal.until(() => normal.changes('b').length === written, `normal subscriber at ${written}`);
  }
  expect(t.server.realtime.stats().closedSlow).toBe(1);

  socket.resume();
  expect(await slow.waitClosed()).toBe(1013);
  expect(slow.changes('b').length).toBeLessThan(written);

  // The normal subscriber got everything, and still does.
  const last = await t.api('POST', '/api/collections/blobs/records', { body: 'after' }, t.adminToken);
  await normal.until(() => normal.changes('b').some((m) => m.record.id === last.body.id), 'change after the close');
  expect(normal.changes('b')).toHaveLength(written + 1);
  expect(normal.closeCode).toBeNull();
  normal.close();
});
