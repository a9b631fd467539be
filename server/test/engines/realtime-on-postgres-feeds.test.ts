/**
 * The realtime hub and WebSocket protocol on three Postgres change feeds (one per node) over one
 * real PostgreSQL: 300 subscribers spread over the three nodes, changes committed through all
 * three, every subscriber gets every change exactly once in seq order; then one node stops
 * mid-stream and its subscribers open again on the other two with `since` (the last seq each
 * received) and miss nothing, twice nothing. Replays run in small chunks, each read answered
 * late while changes keep arriving live, so the replay/live hand-over over an async read is
 * exercised a hundred times.
 * The schema and rules come from a real server's registry (SQLite); the changes are
 * `_changes` rows as the records service writes them, committed on Postgres.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type HearthServer } from '../../src/main.ts';
import { CHANGES_CHANNEL, listenPostgres, migrate, NOTES_CHANNEL, openPostgresEngine, type PostgresListener, type SqlEngine } from '../../src/db/index.ts';
import { createPostgresChangeFeed } from '../../src/realtime/postgres-change-feed.ts';
import { createRealtime, type ChangeFeed, type Realtime } from '../../src/realtime/index.ts';
import { EventBus } from '../../src/shared/events.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { startPostgres, type TestPostgres } from '../../../test-support/postgres.ts';
import { START_TIMEOUT } from './both-engines.ts';

const SUBSCRIBERS = 300;
const REPLAY_READ_DELAY_MS = 30;
const logger = createLogger('silent');

interface Node {
  engine: SqlEngine;
  /** The node's writes go through their own pool, so a replay read never queues behind them. */
  writer: SqlEngine;
  listener: PostgresListener;
  feed: ChangeFeed;
  realtime: Realtime;
  open: boolean;
}

interface Client {
  /** Seqs of the change messages received, over every connection this client opened. */
  seqs: number[];
  /** resync or error messages (none expected). */
  unexpected: unknown[];
  node: number;
  closed: boolean;
  send(msg: Record<string, unknown>): void;
}

let dir: string;
let server: HearthServer;
let pg: TestPostgres;
let collectionId: string;
const nodes: Node[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hearth-rt-pg-'));
  server = createServer({ dir, logLevel: 'silent' });
  await server.collections.create({ name: 'posts', type: 'base', fields: [{ name: 'title', type: 'text' }], listRule: '', viewRule: '' } as never);
  collectionId = server.registry.find('posts')!.id;
  pg = await startPostgres();
  const url = await pg.createDatabase('realtime');
  const setup = openPostgresEngine(url);
  await migrate(setup);
  await setup.close();
  for (let i = 0; i < 3; i++) {
    const engine = openPostgresEngine(url);
    const listener = listenPostgres(url, [CHANGES_CHANNEL, NOTES_CHANNEL]);
    await listener.ready;
    const tail = await createPostgresChangeFeed({ engine, listener, logger, pollIntervalMs: 60_000 });
    // A distant database: each replay read answers only after REPLAY_READ_DELAY_MS, so live
    // changes keep arriving while it is pending (the hand-over the hub must get right).
    const feed: ChangeFeed = {
      ...tail,
      readSince: async (seq, limit) => {
        const res = await tail.readSince(seq, limit);
        await new Promise((r) => setTimeout(r, REPLAY_READ_DELAY_MS));
        return res;
      },
    };
    const realtime = createRealtime({
      db: server.db, engine, registry: server.registry, events: new EventBus(), sessions: server.sessions, logger, feed,
      options: { replayChunk: 5, maxConnectionsPerIp: 10_000 },
    });
    nodes.push({ engine, writer: openPostgresEngine(url), listener, feed, realtime, open: true });
  }
}, START_TIMEOUT);

afterAll(async () => {
  for (const n of nodes) {
    if (n.open) n.realtime.close();
    await n.listener.close();
    await n.engine.close();
    await n.writer.close();
  }
  await server?.close();
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function connect(client: Pick<Client, 'seqs' | 'unexpected'>, node: number, since?: number): Client {
  const c = client as Client;
  c.node = node;
  c.closed = false;
  const { session } = nodes[node]!.realtime.openWs({
    transport: {
      send: (frame) => {
        const msg = JSON.parse(typeof frame === 'string' ? frame : Buffer.from(frame).toString('utf8')) as { type: string; seq: number };
        if (msg.type === 'change') c.seqs.push(msg.seq);
        if (msg.type === 'resync' || msg.type === 'error') c.unexpected.push(msg);
      },
      bufferedAmount: () => 0,
      close: () => (c.closed = true),
    },
    query: {},
    headers: {},
  });
  session.start();
  c.send = (msg) => session.handle(JSON.stringify(msg));
  c.send({ type: 'subscribe', id: 's', collection: 'posts', ...(since === undefined ? {} : { since }) });
  return c;
}

const INSERT = 'INSERT INTO "_changes" ("collectionId", "recordId", "action", "created", "data") VALUES (?, ?, ?, ?, ?) RETURNING "seq"';
const write = (node: number, i: number) => {
  const id = `n${node}r${i}`.padEnd(15, '0');
  const record = { id, title: `t${i}`, created: '2026-01-01 00:00:00.000Z', updated: '2026-01-01 00:00:00.000Z' };
  return nodes[node]!.writer.transaction(async (tx) => (await tx.get<{ seq: number }>(INSERT, [collectionId, id, 'create', record.created, JSON.stringify(record)]))!.seq);
};

async function waitFor(ok: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('realtime on three Postgres feeds', { timeout: 120_000 }, () => {
  const clients: Client[] = [];
  const committed: number[] = [];

  it('delivers changes written through every node to 300 subscribers spread over the three, once each', async () => {
    for (let i = 0; i < SUBSCRIBERS; i++) clients.push(connect({ seqs: [], unexpected: [] }, i % 3));
    const writes: Promise<number>[] = [];
    for (let i = 0; i < 40; i++) for (const n of [0, 1, 2]) writes.push(write(n, i));
    committed.push(...(await Promise.all(writes)).sort((a, b) => a - b));
    await waitFor(() => clients.every((c) => c.seqs.length >= committed.length), 'every subscriber to get every change');
    for (const c of clients) expect(c.seqs).toEqual(committed);
    expect(clients.flatMap((c) => c.unexpected)).toEqual([]);
  });

  it('loses nothing when a node stops mid-stream and its subscribers resume on the others with since', async () => {
    const writes: Promise<number>[] = [];
    for (let i = 100; i < 160; i++) {
      for (const n of [0, 2]) writes.push(write(n, i));
      if (i === 120) {
        nodes[1]!.open = false;
        nodes[1]!.realtime.close();
        nodes[1]!.feed.close();
        // Each of its clients opens again on another node, from the last seq it received.
        for (const [k, c] of clients.entries()) if (c.node === 1) connect(c, k % 2 === 0 ? 0 : 2, c.seqs.at(-1));
      }
    }
    committed.push(...(await Promise.all(writes)).sort((a, b) => a - b));
    await waitFor(() => clients.every((c) => c.seqs.length >= committed.length), 'every subscriber to catch up');
    for (const c of clients) expect(c.seqs).toEqual(committed);
    expect(clients.flatMap((c) => c.unexpected)).toEqual([]);
    expect(clients.filter((c) => c.node === 1)).toHaveLength(0);
  });
});
