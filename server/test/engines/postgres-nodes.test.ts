/**
 * Three nodes on one real PostgreSQL, each opened with `openPostgresNode` (engine, migrations,
 * LISTEN connection, change feed, peer link) and wired with the same `linkPeers` the workers of
 * one machine use: opened together on an empty database they apply each migration once; writes
 * spread over all three reach every node's feed exactly once; a schema-version bump or a settings
 * write on one node makes every node re-read them; and when a node stops mid-stream, a reader
 * resuming on another node with `since` (the last seq the stopped node delivered) gets exactly
 * the rest — together nothing missing and nothing twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bumpSchemaVersionOn, MIGRATION_NAMES, type SqlEngine } from '../../src/db/index.ts';
import { openPostgresNode, type PostgresNode } from '../../src/cluster/postgres-node.ts';
import { linkPeers } from '../../src/cluster/link-peers.ts';
import type { ChangeEntry } from '../../src/realtime/change-feed.ts';
import { EventBus } from '../../src/shared/events.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { startPostgres, type TestPostgres } from '../../../test-support/postgres.ts';
import { START_TIMEOUT } from './both-engines.ts';

interface Running {
  node: PostgresNode;
  seen: ChangeEntry[];
  notes: { schema: number; settings: number };
  open: boolean;
}

let pg: TestPostgres;
const running: Running[] = [];
const logger = createLogger('silent');

beforeAll(async () => {
  pg = await startPostgres();
}, START_TIMEOUT);

afterAll(async () => {
  for (const r of running) if (r.open) await r.node.close();
  await pg?.stop();
});

const INSERT = 'INSERT INTO "_changes" ("collectionId", "recordId", "action", "created") VALUES (?, ?, ?, ?) RETURNING "seq"';
const write = (engine: SqlEngine, by: number, i: number) =>
  engine.transaction(async (tx) => (await tx.get<{ seq: number }>(INSERT, [`node${by}`, `r${by}_${i}`, 'create', 'now']))!.seq);

async function waitFor(ok: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const seqs = (entries: ChangeEntry[]) => entries.map((e) => e.seq);

describe('three nodes on one Postgres', () => {
  it('open together on an empty database and apply each migration once', async () => {
    const url = await pg.createDatabase('nodes');
    const nodes = await Promise.all([1, 2, 3].map((nodeId) => openPostgresNode({ url, logger, nodeId, events: new EventBus(), pollIntervalMs: 60_000 })));
    for (const node of nodes) {
      const r: Running = { node, seen: [], notes: { schema: 0, settings: 0 }, open: true };
      node.feed.subscribe((changes) => r.seen.push(...changes));
      linkPeers(node.peers, {
        events: new EventBus(),
        refreshSchema: () => r.notes.schema++,
        reloadSettings: () => r.notes.settings++,
        onSettingsChange: () => {},
        wakeFeed: () => node.feed.wake?.(),
        logger,
      });
      running.push(r);
    }
    expect(nodes.flatMap((n) => n.applied).sort((a, b) => a - b)).toEqual(MIGRATION_NAMES.map((m) => m.version));
    expect(nodes.map((n) => n.peers.workerId)).toEqual([1, 2, 3]);
  });

  it('deliver writes spread over all three to every node exactly once', async () => {
    const writes: Promise<number>[] = [];
    for (let i = 0; i < 60; i++) for (const [by, r] of running.entries()) writes.push(write(r.node.engine, by, i));
    const committed = (await Promise.all(writes)).sort((a, b) => a - b);
    for (const [i, r] of running.entries()) {
      await waitFor(() => r.seen.length >= committed.length, `node ${i + 1} to see every write`);
      expect(seqs(r.seen), `node ${i + 1}`).toEqual(committed);
    }
  });

  it('share schema and settings changes: a write on one node makes every node re-read', async () => {
    const before = running.map((r) => ({ ...r.notes }));
    await running[0]!.node.engine.transaction((tx) => bumpSchemaVersionOn(tx));
    await running[1]!.node.engine.run('INSERT INTO "_params" ("key", "value", "updated") VALUES (?, ?, ?)', ['settings', '{}', 'now']);
    for (const [i, r] of running.entries()) {
      await waitFor(() => r.notes.schema > before[i]!.schema && r.notes.settings > before[i]!.settings, `node ${i + 1} to hear both notes`);
    }
  });

  it('lose nothing when a node stops mid-stream: its reader resumes on another node with since', async () => {
    const [a, b, c] = running;
    const start = b!.seen.length;
    const writes: Promise<number>[] = [];
    for (let i = 0; i < 100; i++) {
      writes.push(write(a!.node.engine, 0, 1000 + i), write(c!.node.engine, 2, 1000 + i));
      if (i === 30) {
        b!.open = false;
        await b!.node.close();
      }
    }
    const committed = (await Promise.all(writes)).sort((x, y) => x - y);
    const deliveredByB = b!.seen.slice(start);
    const since = deliveredByB.at(-1)?.seq ?? b!.seen[start - 1]!.seq;
    const resumed: ChangeEntry[] = [];
    for (;;) {
      const page = await c!.node.feed.readSince(resumed.at(-1)?.seq ?? since, 50);
      expect(page.gap).toBe(false);
      if (page.changes.length === 0) break;
      resumed.push(...page.changes);
    }
    expect([...seqs(deliveredByB), ...seqs(resumed)]).toEqual(committed);
    // The nodes still running saw it all live.
    for (const r of [a!, c!]) {
      await waitFor(() => r.seen.length >= start + committed.length, 'the running nodes to see every write');
      expect(seqs(r.seen.slice(start))).toEqual(committed);
    }
  });
});
