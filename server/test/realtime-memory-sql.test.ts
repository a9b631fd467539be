/**
 * Realtime matches simple rules and filters in memory and the rest in SQL (realtime/sub-index.ts).
 * Both must deliver exactly the same events. Each rule is set on two collections of identical
 * shape: one in the form the in-memory path takes, one with an `|| id = "…"` that no record has
 * (same meaning, but an OR, so it stays in SQL). The same callers (anonymous, two users, a
 * superuser) subscribe to both with the same filters, the same writes go to both (null and empty
 * values, a hidden field, records moving in and out of view, deletes), and every subscription's
 * events must be equal on both sides.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { scalar } from './engine-state.ts';
import { startRealtimeServer, WsClient, type Msg, type RtServer } from './realtime-helpers.ts';

let t: RtServer;
const clients: WsClient[] = [];

/** Rules in their in-memory form; the SQL twin appends `|| id = "…"`. */
const RULES: Record<string, string> = {
  own: 'owner = @request.auth.id',
  room: 'room = "x" && owner != ""',
  signedIn: '@request.auth.id != "" && room != ""',
  public: '',
  emptyRoom: 'room = ""',
  notX: 'room != "x"',
};
const NO_SUCH_ID = 'zzzzzzzzzzzzzzz';
const twin = (rule: string) => (rule === '' ? `id != "${NO_SUCH_ID}"` : `(${rule}) || id = "${NO_SUCH_ID}"`);

/** Client filters, each subscribed by every caller on every collection (compared the same way). */
const FILTERS = ['', 'room = "x"', 'room = ""', 'room = null', 'room != "x"', 'secret = "s"', 'owner = @request.auth.id', 'title != "" && room = "y"', 'n > 1', 'room = "x" && room = "y"', 'room = "y" && title = "c"'];

interface Caller {
  name: string;
  token?: string;
  id?: string;
}

beforeAll(async () => {
  // Every rule × filter × side on one connection per caller: more filtered subscriptions than the default allows.
  t = await startRealtimeServer({ maxFilteredSubscriptions: 200 });
  const users = t.server.registry.get('users');
  for (const [name, rule] of Object.entries(RULES)) {
    for (const [suffix, r] of [['mem', rule], ['sql', twin(rule)]] as const) {
      const res = await t.api(
        'POST',
        '/api/collections',
        {
          name: `${name}_${suffix}`,
          fields: [
            { name: 'title', type: 'text' },
            { name: 'room', type: 'text' },
            { name: 'secret', type: 'text', hidden: true },
            { name: 'n', type: 'number' },
            { name: 'owner', type: 'relation', collectionId: users.id, maxSelect: 1 },
          ],
          listRule: r,
          viewRule: r,
        },
        t.adminToken,
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
  }
}, 60_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await t?.close();
});

/** Events as comparable text: action and the record without its per-collection fields. */
const events = (c: WsClient, id: string): string[] =>
  c.changes(id).map((m: Msg) => {
    const { id: _id, collectionId: _c, collectionName: _n, created: _cr, updated: _u, ...rest } = m.record;
    return `${m.action} ${JSON.stringify(rest)}`;
  });

it('delivers the same events in memory and in SQL, for every rule, filter and caller', async () => {
  const alice = await t.signUp('Alice');
  const bob = await t.signUp('Bob');
  const callers: Caller[] = [{ name: 'anon' }, { name: 'alice', ...alice }, { name: 'bob', ...bob }, { name: 'admin', token: t.adminToken }];
  const subs: Array<{ client: WsClient; mem: string; sql: string; label: string }> = [];
  for (const caller of callers) {
    const client = await WsClient.open(t.wsUrl);
    clients.push(client);
    if (caller.token) await client.auth(caller.token);
    let n = 0;
    for (const rule of Object.keys(RULES)) {
      for (const filter of FILTERS) {
        const ids = { mem: `m${n}`, sql: `s${n}` };
        n++;
        const answers: Msg[] = [];
        for (const side of ['mem', 'sql'] as const) {
          answers.push(await client.subscribe({ id: ids[side], collection: `${rule}_${side}`, ...(filter ? { filter } : {}) }));
        }
        // A hidden field or @request.* in a filter is refused for anyone but a superuser, alike on both sides.
        expect(answers[1]!.type).toBe(answers[0]!.type);
        if (answers[0]!.type === 'error') {
          expect(caller.name !== 'admin' && (filter.includes('secret') || filter.includes('@request.')), JSON.stringify(answers[0])).toBe(true);
          expect(answers[1]!.message).toBe(answers[0]!.message);
          continue;
        }
        subs.push({ client, ...ids, label: `${caller.name} / ${rule} / ${filter || '(no filter)'}` });
      }
    }
  }

  // The same writes on both twins of every rule.
  const writes: Array<(collection: string, ids: string[]) => Promise<void>> = [];
  const bodies = [
    { title: 'a', room: 'x', owner: alice.id, secret: 's', n: 1 },
    { title: 'b', room: '', owner: bob.id, n: 2 },
    { title: 'c', room: 'y', owner: '', secret: '' },
    { title: 'd', owner: alice.id, n: 3 },
    { title: 'e', room: 'x', owner: bob.id, secret: 's' },
  ];
  for (const body of bodies) {
    writes.push(async (collection, ids) => {
      const r = await t.api('POST', `/api/collections/${collection}/records`, body, t.adminToken);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      ids.push(r.body.id);
    });
  }
  const patch = (i: number, body: Record<string, unknown>) =>
    writes.push(async (collection, ids) => {
      const r = await t.api('PATCH', `/api/collections/${collection}/records/${ids[i]}`, body, t.adminToken);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    });
  const del = (i: number) =>
    writes.push(async (collection, ids) => {
      expect((await t.api('DELETE', `/api/collections/${collection}/records/${ids[i]}`, undefined, t.adminToken)).status).toBe(204);
    });
  patch(0, { room: 'y' }); // out of room "x", into "y"
  patch(1, { owner: alice.id, room: 'x' }); // changes hands and room
  patch(2, { room: null, secret: 's' });
  patch(3, { title: 'd2', n: 0 });
  patch(4, { owner: '' });
  del(0);
  del(1);
  patch(2, { room: 'x', owner: bob.id });

  const ids: Record<string, string[]> = {};
  for (const write of writes) {
    for (const rule of Object.keys(RULES)) {
      for (const side of ['mem', 'sql']) {
        const collection = `${rule}_${side}`;
        await write(collection, (ids[collection] ??= []));
      }
    }
  }

  // Barrier: once the feed is through every write and each socket answered a later request,
  // everything that was going to be delivered has arrived.
  // The last committed seq from the database: on PostgreSQL the feed's latestSeq() is only what it has read so far.
  const latest = Number(await scalar(t.server.engine, 'SELECT COALESCE(MAX("seq"), 0) FROM "_changes"'));
  await clients[0]!.until(() => t.server.realtime.stats().throughSeq >= latest, 'fan-out of every write');
  for (const [i, client] of clients.entries()) expect((await client.subscribe({ id: `barrier${i}`, collection: 'public_mem' })).type).toBe('subscribed');

  // Both paths were taken (subscriptions are filed on the first change after they subscribe).
  const matching = t.server.realtime.stats().matching;
  expect(matching.byValue).toBeGreaterThan(0);
  expect(matching.scan).toBeGreaterThan(0);
  expect(matching.sql).toBeGreaterThan(0);

  let delivered = 0;
  for (const s of subs) {
    const mem = events(s.client, s.mem);
    expect(mem, s.label).toEqual(events(s.client, s.sql));
    delivered += mem.length;
  }
  expect(delivered).toBeGreaterThan(100);
  // The superuser sees the hidden field; nobody else does.
  const admin = clients[3]!;
  expect(admin.changes().some((m) => m.record.secret === 's')).toBe(true);
  for (const c of clients.slice(0, 3)) expect(c.changes().some((m) => 'secret' in m.record)).toBe(false);
}, 120_000);
