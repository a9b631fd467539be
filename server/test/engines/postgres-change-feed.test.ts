/**
 * The Postgres change feed on a real PostgreSQL: two nodes (each its own pool, LISTEN
 * connection and feed) writing concurrently each see every committed change exactly once, in seq
 * order, their own and the other's; `since` reads the same from either node; a feed that never
 * hears a notification still delivers everything (the poll); the listener connection killed
 * mid-stream reconnects and nothing is lost; an insert that skipped the writer lock waits for
 * the writer holding it (so seqs commit in order); entries pruned away are reported as a gap.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHANGES_CHANNEL,
  listenPostgres,
  migrate,
  NOTES_CHANNEL,
  openPostgresEngine,
  type PostgresListener,
  type SqlEngine,
} from '../../src/db/index.ts';
import { createPostgresChangeFeed } from '../../src/realtime/postgres-change-feed.ts';
import type { ChangeEntry, ChangeFeed } from '../../src/realtime/change-feed.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { startPostgres, type TestPostgres } from '../../../test-support/postgres.ts';
import { START_TIMEOUT } from './both-engines.ts';

/** Generous: the poll is the slowest path, and the machine is shared. */
const POLL_MS = 200;
const WRITES_PER_NODE = 150;

interface Node {
  engine: SqlEngine;
  listener?: PostgresListener;
  feed: ChangeFeed;
  seen: ChangeEntry[];
  gaps: number;
}

let pg: TestPostgres;
let url: string;
const nodes: Node[] = [];
const logger = createLogger('silent');

async function startNode(listen: boolean): Promise<Node> {
  const engine = openPostgresEngine(url);
  const listener = listen ? listenPostgres(url, [CHANGES_CHANNEL, NOTES_CHANNEL], { retryMs: 50 }) : undefined;
  await listener?.ready;
  // Without a listener only the poll wakes it; with one, the poll is slow enough not to matter.
  const feed = await createPostgresChangeFeed({ engine, listener, logger, pollIntervalMs: listen ? 60_000 : POLL_MS });
  const node: Node = { engine, listener, feed, seen: [], gaps: 0 };
  feed.subscribe((changes, info) => {
    node.seen.push(...changes);
    if (info.gap) node.gaps++;
  });
  nodes.push(node);
  return node;
}

beforeAll(async () => {
  pg = await startPostgres();
  url = await pg.createDatabase('feed');
  const setup = openPostgresEngine(url);
  await migrate(setup);
  await setup.close();
}, START_TIMEOUT);

afterAll(async () => {
  for (const n of nodes) {
    n.feed.close();
    await n.listener?.close();
    await n.engine.close();
  }
  await pg?.stop();
});

/** One record write as the records service commits it: its `_changes` row in a write transaction. */
const write = (engine: SqlEngine, node: string, i: number) =>
  engine.transaction(async (tx) => {
    const row = await tx.get<{ seq: number }>(
      'INSERT INTO "_changes" ("collectionId", "recordId", "action", "created", "data") VALUES (?, ?, ?, ?, ?) RETURNING "seq"',
      [`from_${node}`, `${node}${i}`, 'create', new Date().toISOString(), JSON.stringify({ id: `${node}${i}`, i })],
    );
    return row!.seq;
  });

async function waitFor(ok: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function waitForAsync(ok: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const INSERT = 'INSERT INTO "_changes" ("collectionId", "recordId", "action", "created") VALUES (?, ?, ?, ?)';

const seqsOf = (entries: ChangeEntry[]) => entries.map((e) => e.seq);

describe('Postgres change feed across nodes', () => {
  it('delivers every commit of both nodes exactly once, in seq order, to both (and to a feed that only polls)', async () => {
    const a = await startNode(true);
    const b = await startNode(true);
    const polling = await startNode(false);
    const startSeq = a.feed.latestSeq();
    const writes: Promise<number>[] = [];
    for (let i = 0; i < WRITES_PER_NODE; i++) writes.push(write(a.engine, 'a', i), write(b.engine, 'b', i));
    const committed = (await Promise.all(writes)).sort((x, y) => x - y);
    expect(new Set(committed).size).toBe(2 * WRITES_PER_NODE);

    for (const [name, node] of [['a', a], ['b', b], ['polling', polling]] as const) {
      await waitFor(() => node.seen.length >= committed.length, `${name} to see every commit`);
      expect(seqsOf(node.seen), name).toEqual(committed);
      expect(node.seen.filter((e) => e.collectionId === 'from_a')).toHaveLength(WRITES_PER_NODE);
      expect(node.seen.filter((e) => e.collectionId === 'from_b')).toHaveLength(WRITES_PER_NODE);
      expect(node.gaps, name).toBe(0);
      expect(node.feed.latestSeq()).toBe(committed.at(-1));
    }
    expect(committed[0]).toBeGreaterThan(startSeq);
    expect(b.seen.find((e) => e.recordId === 'a7')?.record).toEqual({ id: 'a7', i: 7 });
  });

  it('reads the same entries after any seq from either node (since resume)', async () => {
    const [a, b] = nodes;
    const all = a!.seen;
    for (const since of [0, all[0]!.seq, all[100]!.seq, all.at(-1)!.seq - 3, all.at(-1)!.seq]) {
      const fromA = await a!.feed.readSince(since, 1000);
      const fromB = await b!.feed.readSince(since, 1000);
      expect(fromB).toEqual(fromA);
      expect(fromA.gap).toBe(false);
      expect(seqsOf(fromA.changes)).toEqual(seqsOf(all).filter((s) => s > since));
    }
    expect((await a!.feed.readSince(all.at(-1)!.seq + 10, 10)).gap).toBe(true);
  });

  it('loses nothing when the listener connection is killed mid-stream', async () => {
    const [a, b] = nodes;
    const before = b!.seen.length;
    const oldPid = b!.listener!.backendPid();
    const writes: Promise<number>[] = [];
    for (let i = 0; i < 50; i++) {
      writes.push(write(a!.engine, 'k', i));
      if (i === 10) await a!.engine.run('SELECT pg_terminate_backend(?)', [oldPid]);
    }
    const committed = (await Promise.all(writes)).sort((x, y) => x - y);
    // The reconnect reads the log; no poll is involved (this node polls once a minute).
    await waitFor(() => b!.seen.length >= before + committed.length, 'b to catch up after its listener was killed');
    expect(seqsOf(b!.seen.slice(before))).toEqual(committed);
    await waitFor(() => b!.listener!.backendPid() !== 0, 'the listener to reconnect');
    expect(b!.listener!.backendPid()).not.toBe(oldPid);
  });

  it('makes an insert that did not take the writer lock (autocommit) wait for the transaction holding it', async () => {
    const [a, b, probe] = nodes;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let heldSeq = 0;
    const held = a!.engine.transaction(async (tx) => {
      heldSeq = (await tx.get<{ seq: number }>(`${INSERT} RETURNING "seq"`, ['held', 'h1', 'create', 'now']))!.seq;
      await gate;
    });
    await waitFor(() => heldSeq > 0, 'the held transaction to write');
    const stray = b!.engine.get<{ seq: number }>(`${INSERT} RETURNING "seq"`, ['stray', 's1', 'create', 'now']);
    await waitForAsync(
      async () => Number((await probe!.engine.get<{ n: number }>(`SELECT COUNT(*) AS "n" FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`))!.n) > 0,
      'the stray insert to wait for the writer lock',
    );
    release();
    await held;
    const straySeq = (await stray)!.seq;
    expect(straySeq).toBeGreaterThan(heldSeq);
    await waitFor(() => b!.seen.some((e) => e.seq === straySeq), 'b to see the stray insert');
    expect(seqsOf(b!.seen.filter((e) => e.seq >= heldSeq))).toEqual([heldSeq, straySeq]);
  });

  it('reports entries pruned away as a gap', async () => {
    const [a] = nodes;
    const all = a!.seen;
    await a!.engine.run('DELETE FROM "_changes" WHERE "seq" <= ?', [all[200]!.seq]);
    expect((await a!.feed.readSince(all[10]!.seq, 10)).gap).toBe(true);
    expect((await a!.feed.readSince(all[200]!.seq, 10)).gap).toBe(false);
    expect(seqsOf((await a!.feed.readSince(all[200]!.seq, 1000)).changes)).toEqual(seqsOf(all.slice(201)));
  });
});
