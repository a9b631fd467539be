/**
 * From the change feed to live subscriptions. Live changes reach a subscription after commit,
 * asynchronously (the feed drains in a setImmediate), never on the write path: an auth record that
 * changed first re-checks its connections (the fresh record, or the end, before rules run), then
 * the batch is fanned out; a gap tells every live subscription to resync. On an engine whose
 * reads are promises (`engine`, PostgreSQL) the fan-out is fanout-engine.ts, batches one at a
 * time, in seq order. The hub listens only while a connection is open: with none, nothing is
 * fanned out and the feed need not read the log; the first connection hears every change
 * committed after it opened.
 */
import type { SqlQueryable } from '../db/index.ts';
import type { Logger } from '../shared/logger.ts';
import type { ChangeEntry, ChangeFeed } from './change-feed.ts';
import { fanOut, type FanoutDeps } from './fanout.ts';
import { fanOutOn } from './fanout-engine.ts';
import type { Callers } from './hub-callers.ts';
import type { Subscriptions } from './hub-subscriptions.ts';

export interface LiveDeps {
  feed: ChangeFeed;
  fanout: FanoutDeps;
  subs: Subscriptions;
  callers: Callers;
  engine?: SqlQueryable;
  logger: Logger;
}

export interface Live {
  /** Listens to the feed (a connection is open) or stops. */
  listen(on: boolean): void;
  /** Seq through which the feed's changes were fanned out (everything, while no one listens). */
  through(): number;
  /** Seq through which the feed handed changes over (ahead of `through` while an async fan-out runs). */
  heard(): number;
}

type Info = { through: number; gap: boolean };

export function createLive(deps: LiveDeps): Live {
  const { feed, fanout, subs, callers, logger } = deps;
  const q = deps.engine;
  let through = feed.latestSeq();
  let heard = through;
  /** Async fan-outs, chained: one batch at a time, in seq order. */
  let fanning: Promise<void> = Promise.resolve();
  /** The feed's unsubscribe while listening. */
  let offFeed: (() => void) | undefined;

  function resync(): void {
    for (const idx of subs.indexes()) for (const sub of idx.all()) if (sub.live) sub.hooks.onResync?.(sub);
  }

  function onChanges(changes: ChangeEntry[], info: Info): void {
    heard = Math.max(heard, info.through);
    if (q) {
      fanning = fanning.then(() => fanOutLive(q, changes, info)).catch((err: unknown) => logger.error('realtime: fan-out failed', err));
      return;
    }
    if (info.gap) resync();
    callers.recheckChanged(changes);
    fanOut(fanout, changes, subs.of, { live: true });
    through = Math.max(through, info.through);
  }

  /** onChanges on an async engine (chained by it). */
  async function fanOutLive(engine: SqlQueryable, changes: ChangeEntry[], info: Info): Promise<void> {
    if (info.gap) resync();
    await callers.recheckChangedOn(changes);
    await fanOutOn(fanout, engine, changes, subs.of, { live: true });
    through = Math.max(through, info.through);
  }

  return {
    listen(on) {
      if (on && !offFeed) {
        offFeed = feed.subscribe(onChanges);
        // Nothing was fanned out while no one listened: everything before now counts as done.
        through = heard = Math.max(through, feed.latestSeq());
      } else if (!on && offFeed) {
        offFeed();
        offFeed = undefined;
      }
    },
    through: () => (offFeed ? through : Math.max(through, feed.latestSeq())),
    heard: () => heard,
  };
}
