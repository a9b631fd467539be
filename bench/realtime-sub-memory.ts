/**
 * `node --expose-gc bench/realtime-sub-memory.ts [--sockets 500] [--subs 10] [--users 20]`: live
 * heap per realtime subscription and per socket, after a full GC, in one process (the server and
 * its WebSocket clients together; the clients keep nothing per subscription). As the fan-out
 * bench's non-matching level: `--sockets` sockets each signed in as one of `--users` users, with
 * one subscription under the per-user listRule, then as many sockets again each holding `--subs`
 * subscriptions whose filter is a topic no write has (`topic = "t<k>"`). A write after each step
 * makes the index file the new subscriptions (filing is lazy). Prints heap used after a full GC
 * at each step and the bytes per socket and per subscription.
 */
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { startServer } from '../server/test/harness.ts';

const { values } = parseArgs({ options: { sockets: { type: 'string', default: '500' }, subs: { type: 'string', default: '10' }, users: { type: 'string', default: '20' } } });
const SOCKETS = Number(values.sockets);
const SUBS = Number(values.subs);
const USERS = Number(values.users);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const t = await startServer({ passwordParams: { N: 2 ** 10, r: 8, p: 1 }, realtime: { maxConnectionsPerIp: 100_000 } });
const users = await t.api('GET', '/api/collections/users', undefined, t.adminToken);
const rule = 'owner = @request.auth.id';
const made = await t.api('POST', '/api/collections', {
  name: 'events', type: 'base', listRule: rule, viewRule: rule, createRule: '', updateRule: null, deleteRule: null,
  fields: [{ name: 'owner', type: 'relation', collectionId: users.body.id, maxSelect: 1 }, { name: 'topic', type: 'text' }],
}, t.adminToken);
if (made.status !== 200) throw new Error(JSON.stringify(made.body));
const tokens: Array<{ id: string; token: string }> = [];
for (let i = 0; i < USERS; i++) {
  const u = await t.api('POST', '/api/collections/users/records', { email: `u${i}@example.com`, password: 'password123', passwordConfirm: 'password123' });
  const imp = await t.api('POST', `/api/collections/users/impersonate/${u.body.id}`, { duration: 3600 }, t.adminToken);
  tokens.push({ id: u.body.id, token: imp.body.token });
}
const wsUrl = t.url.replace(/^http/, 'ws') + '/api/realtime/ws';
const open: WebSocket[] = [];

function socket(user: number, subs: Array<Record<string, string>>): Promise<void> {
  return new Promise((ok, fail) => {
    const ws = new WebSocket(wsUrl);
    open.push(ws);
    let pending = subs.length;
    let authed = false;
    ws.on('error', fail);
    ws.on('close', (code) => fail(new Error(`socket closed: ${code}`)));
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { type: string };
      if (msg.type === 'ready' && !authed) {
        authed = true;
        ws.send(JSON.stringify({ type: 'auth', token: tokens[user]!.token }));
      } else if (msg.type === 'ready') for (const s of subs) ws.send(JSON.stringify({ type: 'subscribe', ...s }));
      else if (msg.type === 'subscribed' && --pending === 0) ok();
      else if (msg.type === 'error') fail(new Error(String(data)));
    });
  });
}

async function live(label: string): Promise<number> {
  // One write, so the index files the new subscriptions, then a full GC.
  await t.api('POST', '/api/collections/events/records', { owner: tokens[0]!.id, topic: '' }, tokens[0]!.token);
  await new Promise((r) => setTimeout(r, 200));
  for (let i = 0; i < 3; i++) gc!();
  const used = process.memoryUsage().heapUsed;
  if (process.env.SNAP_DIR) (await import('node:v8')).writeHeapSnapshot(`${process.env.SNAP_DIR}/${label.replace(/\W+/g, '-')}.heapsnapshot`);
  console.log(`${label.padEnd(48)} heap used ${(used / 1e6).toFixed(1)} MB`);
  return used;
}

const base = await live('no sockets');
for (let i = 0; i < SOCKETS; i++) await socket(i % USERS, [{ id: 's1', collection: 'events' }]);
const withSockets = await live(`${SOCKETS} sockets, 1 subscription each`);
let k = 0;
for (let i = 0; i < SOCKETS; i++) await socket(i % USERS, Array.from({ length: SUBS }, () => ({ id: `x${k}`, collection: 'events', filter: `topic = "t${k++}"` })));
const withSubs = await live(`+${SOCKETS} sockets, ${SUBS} non-matching subs each`);
console.log(`per socket (1 subscription): ${Math.round((withSockets - base) / SOCKETS)} B; per extra socket with its ${SUBS} subscriptions: ${Math.round((withSubs - withSockets) / SOCKETS)} B`);
for (const ws of open) ws.terminate();
await t.close();
