/**
 * Realtime amplification limits: connections per client address (WS and SSE together), filtered
 * subscriptions per connection and the length of one subscription's filter — each refused with
 * a clear error: a WS close 1008 or error frame, a 429 for an SSE stream, a 400 for an SSE POST.
 * The server runs with small limits so the test opens few sockets; the defaults are documented.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealtimeServer, WsClient, type RtServer } from './realtime-helpers.ts';

const LIMITS = { maxConnectionsPerIp: 3, maxFilteredSubscriptions: 2, maxFilterLength: 64, maxSubscriptions: 10 };
let t: RtServer;

beforeAll(async () => {
  t = await startRealtimeServer(LIMITS);
  const r = await t.api('POST', '/api/collections', { name: 'posts', fields: [{ name: 'title', type: 'text' }], listRule: '', viewRule: '' }, t.adminToken);
  expect(r.status).toBe(200);
});
afterAll(() => t.close());

async function openSse(): Promise<{ status: number; body: string; clientId?: string; abort: () => void }> {
  const ctrl = new AbortController();
  const res = await fetch(`${t.url}/api/realtime`, { signal: ctrl.signal });
  if (res.status !== 200) return { status: res.status, body: await res.text(), abort: () => ctrl.abort() };
  const reader = res.body!.getReader();
  let buf = '';
  while (!buf.includes('\n\n')) buf += new TextDecoder().decode((await reader.read()).value);
  return { status: 200, body: buf, clientId: /^id:(\w+)/.exec(buf)![1]!, abort: () => ctrl.abort() };
}

const rawWs = () => WsClient.open(t.wsUrl);

describe('connections per client address', () => {
  it('the connection past maxConnectionsPerIp is closed with 1008 naming the limit (WS) or a 429 (SSE)', async () => {
    const open = [await rawWs(), await rawWs()];
    const sse = await openSse();
    expect(sse.status).toBe(200);

    const { default: WebSocket } = await import('ws');
    const refused = new WebSocket(t.wsUrl);
    const [code, reason] = await new Promise<[number, string]>((resolve) => refused.once('close', (c, r) => resolve([c, String(r)])));
    expect(code).toBe(1008);
    expect(reason).toContain('maxConnectionsPerIp');

    const sseRefused = await openSse();
    expect(sseRefused.status).toBe(429);
    expect(JSON.parse(sseRefused.body)).toMatchObject({ status: 429 });
    expect(JSON.parse(sseRefused.body).message).toContain('maxConnectionsPerIp');

    // Closing one frees its place.
    open[0]!.close();
    await open[0]!.waitClosed();
    const again = await rawWs();
    expect(again.messages[0]).toMatchObject({ type: 'ready' });
    for (const c of [open[1]!, again]) c.close();
    sse.abort();
  });
});

describe('subscriptions and their filters (WebSocket)', () => {
  it('refuses a filter longer than maxFilterLength and the filtered subscription past maxFilteredSubscriptions', async () => {
    const ws = await rawWs();
    const long = await ws.subscribe({ id: 'long', collection: 'posts', filter: `title = '${'x'.repeat(LIMITS.maxFilterLength)}'` });
    expect(long).toMatchObject({ type: 'error', status: 400 });
    expect(long.message).toContain('maxFilterLength');

    expect(await ws.subscribe({ id: 'f1', collection: 'posts', filter: "title = 'a'" })).toMatchObject({ type: 'subscribed' });
    expect(await ws.subscribe({ id: 'f2', collection: 'posts', filter: "title = 'b'" })).toMatchObject({ type: 'subscribed' });
    const third = await ws.subscribe({ id: 'f3', collection: 'posts', filter: "title = 'c'" });
    expect(third).toMatchObject({ type: 'error', status: 400 });
    expect(third.message).toContain('maxFilteredSubscriptions');

    // Unfiltered subscriptions are bounded only by maxSubscriptions.
    for (let i = 0; i < LIMITS.maxSubscriptions - 2; i++) {
      expect(await ws.subscribe({ id: `all${i}`, collection: 'posts' })).toMatchObject({ type: 'subscribed' });
    }
    const over = await ws.subscribe({ id: 'one-too-many', collection: 'posts' });
    expect(over).toMatchObject({ type: 'error', status: 400 });
    expect(over.message).toContain('maxSubscriptions');

    // The socket still works: a change reaches the filtered subscription.
    const created = await t.api('POST', '/api/collections/posts/records', { title: 'a' }, t.adminToken);
    await ws.until(() => ws.changes('f1').find((m) => m.record.id === created.body.id), 'change for f1');
    ws.close();
  });
});

describe('subscriptions and their filters (SSE)', () => {
  const topic = (filter: string) => `posts/*?options=${encodeURIComponent(JSON.stringify({ query: { filter } }))}`;

  it('POST /api/realtime is a 400 naming the limit', async () => {
    const sse = await openSse();
    const post = (subscriptions: string[]) => t.api('POST', '/api/realtime', { clientId: sse.clientId, subscriptions });
    const long = await post([topic(`title = '${'x'.repeat(LIMITS.maxFilterLength)}'`)]);
    expect(long.status).toBe(400);
    expect(long.body.message).toContain('maxFilterLength');
    const many = await post([topic("title = 'a'"), topic("title = 'b'"), topic("title = 'c'")]);
    expect(many.status).toBe(400);
    expect(many.body.message).toContain('maxFilteredSubscriptions');
    expect((await post([topic("title = 'a'"), topic("title = 'b'"), 'posts/*'])).status).toBe(204);
    sse.abort();
  });
});
