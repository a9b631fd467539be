/**
 * PocketBase's `apis/realtime_test.go` scenarios for `POST /api/realtime` (setting a client's
 * subscriptions). The connect scenarios and the record-event delivery tests are covered by
 * server/test/realtime-sse.test.ts; the ones that need in-process broker access are not ported.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../harness.ts';
import { runScenarios, target, type ScenarioTarget } from './scenario.ts';

let t: TestServer;
let shared: ScenarioTarget;
const streams: AbortController[] = [];

beforeAll(async () => {
  t = await startServer();
  for (const email of ['test@example.com', 'test2@example.com']) {
    await t.api('POST', '/api/collections/users/records', { email, password: '1234567890', passwordConfirm: '1234567890' }, t.adminToken);
  }
  const sign = async (email: string) => (await t.api('POST', '/api/collections/users/auth-with-password', { identity: email, password: '1234567890' })).body.token as string;
  shared = target(t.url, { superuser: t.adminToken, user: await sign('test@example.com'), user2: await sign('test2@example.com') });
});
afterAll(async () => {
  for (const s of streams) s.abort();
  await t?.close();
});

async function connect(): Promise<string> {
  const ctrl = new AbortController();
  streams.push(ctrl);
  const res = await fetch(`${t.url}/api/realtime`, { signal: ctrl.signal });
  const reader = res.body!.getReader();
  let buf = '';
  while (!buf.includes('\n\n')) buf += new TextDecoder().decode((await reader.read()).value);
  return /"clientId":"(\w+)"/.exec(buf)![1]!;
}

describe('POST /api/realtime (TestRealtimeSubscribe)', () => {
  const topics = (n: number) => Array.from({ length: n }, (_, i) => `test${i}`);
  let clientId = '';
  it('connects a client for the scenarios below', async () => {
    clientId = await connect();
    expect(clientId).not.toBe('');
  });
  // The client id exists only once connected: the body is built when the scenario is sent.
  const body = (subscriptions: unknown) => () => ({ clientId, subscriptions });
  const lazy = (make: () => object) => ({ toJSON: make });
  runScenarios(
    [
      { name: 'missing client', method: 'POST', url: '/api/realtime', body: { clientId: 'missing', subscriptions: ['test1', 'test2'] }, status: 404, expect: ['"data":{}'] },
      { name: 'empty data', method: 'POST', url: '/api/realtime', body: {}, status: 400, expect: ['"data":{', '"clientId":{"code":"validation_required'], notExpect: ['"subscriptions"'] },
      { name: 'existing client with invalid subscriptions limit', method: 'POST', url: '/api/realtime', body: lazy(body(topics(1001))), status: 400, expect: ['"data":{', '"subscriptions":{"code":"validation_length_too_long"'] },
      { name: 'existing client with valid subscriptions limit', method: 'POST', url: '/api/realtime', body: lazy(body(topics(1000))), status: 204 },
      { name: 'existing client with invalid topic length', method: 'POST', url: '/api/realtime', body: lazy(body(['abc', 'a'.repeat(2501)])), status: 400, expect: ['"data":{', '"subscriptions":{"1":{"code":"validation_length_too_long"'] },
      { name: 'existing client with valid topic length', method: 'POST', url: '/api/realtime', body: lazy(body(['abc', 'a'.repeat(2500)])), status: 204 },
      { name: 'existing client - empty subscriptions', method: 'POST', url: '/api/realtime', body: lazy(body([])), status: 204 },
      { name: 'existing client - 2 new subscriptions', method: 'POST', url: '/api/realtime', body: lazy(body(['test1', 'test2'])), status: 204 },
      { name: 'existing client - guest -> authorized regular auth record', method: 'POST', url: '/api/realtime', auth: 'user', body: lazy(body(['test1', 'test2'])), status: 204 },
      { name: 'existing client - same auth', method: 'POST', url: '/api/realtime', auth: 'user', body: lazy(body(['test1', 'test2'])), status: 204 },
      { name: 'existing client - mismatched auth', method: 'POST', url: '/api/realtime', auth: 'user2', body: lazy(body(['test1', 'test2'])), status: 403, expect: ['"data":{}'] },
      { name: 'existing client - unauthorized client', method: 'POST', url: '/api/realtime', body: lazy(body(['test1', 'test2'])), status: 403, expect: ['"data":{}'] },
      { name: 'existing client with different IP', method: 'POST', url: '/api/realtime', status: 400, skip: 'needs a second client address; PocketBase binds a client to its IP' },
      { name: 'existing client - guest -> authorized superuser', method: 'POST', url: '/api/realtime', status: 204, skip: 'one stream, one caller: covered by the regular-user case' },
    ],
    () => shared,
  );
});
