import { createClient } from '../src/index.ts';
import * as base from '../test/harness.ts';
import { startProxy } from './proxy.ts';
export { createFixtureCollections, waitFor, supportsWebSocket } from '../test/harness.ts';
export type TestHearth = base.TestHearth & { dropAll(): void };
export async function startHearth(o: { dir?: string; http?: string } = {}): Promise<TestHearth> {
  const t = await base.startHearth(o);
  const proxy = await startProxy(t.url, t.server);
  const clients: any[] = [];
  return {
    ...t,
    url: proxy.url,
    dropAll: proxy.dropAll,
    client: (opts) => { const c = createClient(proxy.url, opts); clients.push(c); return c as never; },
    async close() { for (const c of clients) c.close(); await proxy.close(); await t.close(); },
  };
}
