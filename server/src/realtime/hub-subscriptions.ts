/**
 * The hub's subscriptions, indexed by collection (sub-index.ts): adding one (the per-connection
 * limits, the collection, a strict subscription the caller's rules can never admit refused with
 * 403), removing one, re-filing a connection's after its caller changed, and ending those of
 * deleted collections. A subscription with `since` is handed to `replay` before it turns live.
 */
import type { CollectionRegistry } from '../collections/registry.ts';
import { badRequest, forbidden, notFound } from '../shared/errors.ts';
import type { Connection } from './connection.ts';
import type { RealtimeOptions } from './options.ts';
import { CollectionIndex } from './sub-index.ts';
import { Subscription, type SubscriptionHooks, type SubscriptionSpec } from './subscription.ts';

export interface AddOptions extends SubscriptionHooks {
  /** Replay changes after this seq before going live. */
  since?: number;
  /** Refuse (403) a subscription the caller's rules can never admit, instead of keeping it silent. */
  strict?: boolean;
}

export interface SubscriptionsDeps {
  registry: CollectionRegistry;
  options: RealtimeOptions;
  /** Validates expand/fields for a collection (throws a 400 AppError). */
  checkReadOptions(sub: Subscription): void;
  latestSeq(): number;
  /** Replays the log after `sub.lastSeq`, then sets `sub.live`. */
  replay(sub: Subscription): void;
}

export interface Subscriptions {
  add(conn: Connection, spec: Omit<SubscriptionSpec, 'collectionId'> & { collection: string }, opts: AddOptions): { sub: Subscription; seq: number };
  remove(conn: Connection, id: string): boolean;
  /** Takes a subscription out of the index (it gets nothing more). */
  detach(sub: Subscription): void;
  /** Ends a subscription with an error: detached, then its onError hook. */
  fail(sub: Subscription, err: unknown): void;
  /** Files the connection's subscriptions again (its caller changed). */
  refile(conn: Connection): void;
  /** After a schema change: subscriptions of deleted collections end with a 404 error. */
  dropMissing(): void;
  /** The index of a collection's subscriptions, if it has any. */
  of(collectionId: string): CollectionIndex | undefined;
  /** Every collection's index. */
  indexes(): IterableIterator<CollectionIndex>;
}

export function createSubscriptions(deps: SubscriptionsDeps): Subscriptions {
  const { registry, options } = deps;
  const byCollection = new Map<string, CollectionIndex>();

  function detach(sub: Subscription): void {
    sub.removed = true;
    sub.conn.subs.delete(sub.id);
    const index = byCollection.get(sub.collectionId);
    index?.delete(sub);
    if (index?.size === 0) byCollection.delete(sub.collectionId);
  }

  function fail(sub: Subscription, err: unknown): void {
    detach(sub);
    sub.hooks.onError?.(sub, err);
  }

  function countFiltered(conn: Connection): number {
    let n = 0;
    for (const sub of conn.subs.values()) if (sub.filter) n++;
    return n;
  }

  return {
    add(conn, spec, opts) {
      if (conn.subs.has(spec.id)) throw badRequest(`Subscription "${spec.id}" already exists.`);
      if (conn.subs.size >= options.maxSubscriptions) {
        throw badRequest(`Too many subscriptions (maxSubscriptions ${options.maxSubscriptions} per connection).`);
      }
      const filter = spec.filter?.trim() ?? '';
      if (filter.length > options.maxFilterLength) {
        throw badRequest(`The subscription filter is too long (maxFilterLength ${options.maxFilterLength} characters).`);
      }
      if (filter !== '' && countFiltered(conn) >= options.maxFilteredSubscriptions) {
        throw badRequest(`Too many subscriptions with a filter (maxFilteredSubscriptions ${options.maxFilteredSubscriptions} per connection).`);
      }
      const collection = registry.find(spec.collection);
      if (!collection) throw notFound(`Missing collection "${spec.collection}".`);
      if (collection.type === 'view') throw badRequest('View collections have no realtime events.');
      const sub = new Subscription(conn, { ...spec, collectionId: collection.id }, opts);
      if (opts.strict && sub.superuserOnly && !conn.caller.auth?.isSuperuser) throw forbidden(`Only superusers can filter by ${sub.superuserOnly}`);
      const compiled = sub.compile(registry, collection);
      if (opts.strict && compiled.access.kind === 'superusers_only') throw forbidden('Only superusers can subscribe to this collection.');
      deps.checkReadOptions(sub);
      const seq = deps.latestSeq();
      conn.subs.set(sub.id, sub);
      let idx = byCollection.get(collection.id);
      if (!idx) byCollection.set(collection.id, (idx = new CollectionIndex(collection.id)));
      idx.add(sub);
      if (opts.since === undefined) {
        sub.lastSeq = seq;
      } else {
        sub.live = false;
        sub.lastSeq = opts.since;
        deps.replay(sub);
      }
      return { sub, seq };
    },
    remove(conn, id) {
      const sub = conn.subs.get(id);
      if (!sub) return false;
      detach(sub);
      return true;
    },
    detach,
    fail,
    refile(conn) {
      for (const sub of conn.subs.values()) byCollection.get(sub.collectionId)?.refile(sub);
    },
    dropMissing() {
      for (const [collectionId, idx] of [...byCollection]) {
        if (registry.find(collectionId)?.id === collectionId) continue;
        for (const sub of [...idx.all()]) fail(sub, notFound('The collection was deleted.'));
      }
    },
    of: (collectionId) => byCollection.get(collectionId),
    indexes: () => byCollection.values(),
  };
}
