/**
 * Resuming a subscription with `since`: the log is read from its `lastSeq` in chunks (respecting
 * the connection's queue) and fanned out to it alone, then it turns live. Every change is
 * delivered once: a subscription skips seqs at or below the last one it was given, and the
 * replay reads the log up to the moment it turns live (no gap). A `since` no longer retained asks
 * the client to resync and turns it live at the latest seq.
 */
import type { SqlQueryable } from '../db/index.ts';
import type { ChangeFeed } from './change-feed.ts';
import { fanOut, type FanoutDeps } from './fanout.ts';
import { fanOutOn } from './fanout-engine.ts';
import { CollectionIndex } from './sub-index.ts';
import type { Subscription } from './subscription.ts';

export interface ReplayDeps {
  feed: ChangeFeed;
  fanout: FanoutDeps;
  /** Entries read per step. */
  chunk: number;
  engine?: SqlQueryable;
  /** Seq through which the feed has handed changes to live fan-out. */
  heard(): number;
}

export async function replay(deps: ReplayDeps, sub: Subscription): Promise<void> {
  const { feed, chunk } = deps;
  const q = deps.engine;
  await new Promise((resolve) => setImmediate(resolve));
  const alone = new CollectionIndex(sub.collectionId);
  alone.add(sub);
  const only = (id: string) => (id === sub.collectionId ? alone : undefined);
  while (!sub.removed && !sub.conn.closed) {
    const res = await feed.readSince(sub.lastSeq, chunk);
    if (res.gap) {
      sub.lastSeq = feed.latestSeq();
      sub.live = true;
      sub.hooks.onResync?.(sub);
      return;
    }
    if (res.changes.length > 0) {
      if (q) await fanOutOn(deps.fanout, q, res.changes, only, { live: false });
      else fanOut(deps.fanout, res.changes, only, { live: false });
      sub.lastSeq = Math.max(sub.lastSeq, res.changes[res.changes.length - 1]!.seq);
    }
    // Caught up: everything committed so far was read; later seqs arrive live. A read that
    // awaited the network may have let live changes pass this (not yet live) subscription:
    // when the feed handed over past what was read, read again.
    if (res.changes.length < chunk && deps.heard() <= sub.lastSeq) {
      sub.live = true;
      return;
    }
    await sub.conn.room();
    await new Promise((resolve) => setImmediate(resolve));
  }
}
