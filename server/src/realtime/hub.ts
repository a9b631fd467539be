/**
 * The hub: connections, their subscriptions indexed by collection, and the glue from the change
 * feed to fan-out. Live changes reach a subscription after commit, asynchronously (the feed
 * drains in a setImmediate), never on the write path. A subscription with `since` first replays
 * the log from `since` (reading it in chunks, respecting the connection's queue), then turns live;
 * every change is delivered once because each subscription skips seqs at or below the last one
 * it was given, and the replay reads the log up to the moment it turns live (no gap). On an engine
 * whose reads are promises (`engine`, PostgreSQL) the fan-out is fanout-engine.ts and token checks
 * go through the engine: batches are fanned out one at a time, in seq order. The hub listens to
 * the feed only while a connection is open: with none, nothing is fanned out and the feed need
 * not read the log; the first connection hears every change committed after it opened.
 */
import type { CollectionRegistry } from '../collections/registry.ts';
import type { SessionService } from '../auth/index.ts';
import type { SqlQueryable } from '../db/index.ts';
import { AppError, badRequest, forbidden, notFound, unauthorized } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { newId } from '../shared/ids.ts';
import type { ChangeEntry, ChangeFeed } from './change-feed.ts';
import { sameCaller, verifyCaller, verifyCallerOn } from './caller.ts';
import { CLOSE_AUTH_ENDED, Connection, type Caller, type Transport } from './connection.ts';
import { fanOut, type FanoutDeps } from './fanout.ts';
import { fanOutOn } from './fanout-engine.ts';
import { CollectionIndex } from './sub-index.ts';
import type { RealtimeOptions } from './options.ts';
import { Subscription, type SubscriptionHooks, type SubscriptionSpec } from './subscription.ts';

export interface HubDeps extends Omit<FanoutDeps, 'onSubscriptionError' | 'onCallerExpired'> {
  registry: CollectionRegistry;
  feed: ChangeFeed;
  sessions: SessionService;
  options: RealtimeOptions;
  /** Appended to every client id (a cluster worker's mark, client-calls.ts); ids stay 40 long. */
  idSuffix?: string;
  logger: Logger;
  /** Validates expand/fields for a collection (throws a 400 AppError). */
  checkReadOptions(sub: Subscription): void;
  /** False when a superuser may not connect from this address (the `superuserIPs` setting). */
  superuserAllowedFrom?: (ip: string | undefined) => boolean;
  /** Set where reads are promises (PostgreSQL): the fan-out's reads and token checks run on it. */
  engine?: SqlQueryable;
}

export interface AddOptions extends SubscriptionHooks {
  /** Replay changes after this seq before going live. */
  since?: number;
  /** Refuse (403) a subscription the caller's rules can never admit, instead of keeping it silent. */
  strict?: boolean;
}

export interface HubStats {
  connections: number;
  subscriptions: number;
  closedSlow: number;
  /** Messages waiting in connections' outbound queues (beyond what their transports buffer). */
  queuedMessages: number;
  /** Seq through which changes were fanned out; the feed's latestSeq() minus this is the lag. */
  throughSeq: number;
  /** How filed subscriptions are matched (sub-index.ts): by value lookup, per change in memory, in SQL, by record id. */
  matching: { byValue: number; scan: number; sql: number; byRecord: number };
}

export interface Hub {
  /** Throws a 429 AppError when `ip` already has maxConnectionsPerIp connections open. */
  open(init: { protocol: 'ws' | 'sse'; transport: Transport; query: Record<string, string>; headers: Record<string, string>; ip?: string }): Connection;
  find(connectionId: string): Connection | undefined;
  /** The caller behind a token, or null when it is invalid, expired or revoked (a promise on an async engine). */
  verify(token: string): Caller | null | Promise<Caller | null>;
  /** Verifies the token and binds the caller to the connection; 401 when invalid (a promise on an async engine). */
  authenticate(conn: Connection, token: string): Caller | Promise<Caller>;
  setCaller(conn: Connection, caller: Caller): void;
  /** Registers a subscription; returns the log position it is live from. Throws 400/403/404. */
  add(conn: Connection, spec: Omit<SubscriptionSpec, 'collectionId'> & { collection: string }, opts: AddOptions): { sub: Subscription; seq: number };
  remove(conn: Connection, id: string): boolean;
  /** A collection (by name or id) that has realtime events (not a view). */
  collectionExists(nameOrId: string): boolean;
  /** After a schema change: subscriptions of deleted collections end with a 404 error. */
  dropMissing(): void;
  latestSeq(): number;
  /**
   * A safe resume point for every subscription of the connection: all their changes up to it were
   * already queued to the connection, in order.
   */
  position(conn: Connection): number;
  stats(): HubStats;
  close(): void;
}

export function createHub(deps: HubDeps): Hub {
  const { registry, feed, options, logger } = deps;
  const idSuffix = deps.idSuffix ?? '';
  const connections = new Map<string, Connection>();
  const byCollection = new Map<string, CollectionIndex>();
  const byCaller = new Map<string, Set<Connection>>();
  /** Open connections per client address, and each connection's address. */
  const perIp = new Map<string, number>();
  const ipOf = new Map<Connection, string>();
  let closedSlow = 0;
  /** Seq through which the feed's changes were fanned out. */
  let through = feed.latestSeq();
  /** Seq through which the feed handed changes over (ahead of `through` while an async fan-out runs). */
  let heard = through;
  const q = deps.engine;
  /** Async fan-outs, chained: one batch at a time, in seq order. */
  let fanning: Promise<void> = Promise.resolve();

  const index = (conn: Connection, on: boolean): void => {
    const key = conn.caller.key;
    if (!conn.caller.auth) return;
    let set = byCaller.get(key);
    if (on) {
      if (!set) byCaller.set(key, (set = new Set()));
      set.add(conn);
    } else if (set) {
      set.delete(conn);
      if (set.size === 0) byCaller.delete(key);
    }
  };

  function detach(sub: Subscription): void {
    sub.removed = true;
    sub.conn.subs.delete(sub.id);
    const index = byCollection.get(sub.collectionId);
    index?.delete(sub);
    if (index?.size === 0) byCollection.delete(sub.collectionId);
  }

  function onClose(conn: Connection): void {
    if (conn.closeCode === 1013) closedSlow += 1;
    for (const sub of [...conn.subs.values()]) detach(sub);
    index(conn, false);
    connections.delete(conn.id);
    if (connections.size === 0) listen(false);
    const ip = ipOf.get(conn);
    if (ip !== undefined) {
      ipOf.delete(conn);
      const left = (perIp.get(ip) ?? 1) - 1;
      if (left > 0) perIp.set(ip, left);
      else perIp.delete(ip);
    }
  }

  function countFiltered(conn: Connection): number {
    let n = 0;
    for (const sub of conn.subs.values()) if (sub.filter) n++;
    return n;
  }

  function setCaller(conn: Connection, caller: Caller): void {
    index(conn, false);
    conn.setCaller(caller);
    index(conn, true);
    // Their conditions were compiled for the previous caller: file them again.
    for (const sub of conn.subs.values()) byCollection.get(sub.collectionId)?.refile(sub);
  }

  const endCaller = (conn: Pick<Connection, 'close'>): void => conn.close(CLOSE_AUTH_ENDED, 'The auth token expired or was revoked.');

  /** Re-verifies a connection's token: ends it when invalid, refreshes the auth record otherwise. */
  function recheck(conn: Connection): void {
    const token = conn.caller.token;
    if (!token || conn.closed) return;
    rechecked(conn, verifyCaller(deps.sessions, token));
  }

  /** recheck through the engine. */
  async function recheckOn(conn: Connection): Promise<void> {
    const token = conn.caller.token;
    if (!token || conn.closed) return;
    const fresh = await verifyCallerOn(deps.sessions, token);
    if (conn.caller.token === token && !conn.closed) rechecked(conn, fresh);
  }

  function rechecked(conn: Connection, fresh: Caller | null): void {
    if (!fresh || fresh.key !== conn.caller.key) return endCaller(conn);
    if (!sameCaller(fresh, conn.caller)) setCaller(conn, fresh);
    else conn.caller.expiresAt = fresh.expiresAt;
  }

  function bind(conn: Connection, caller: Caller | null): Caller {
    if (!caller) throw unauthorized('The auth token is invalid, expired or revoked.');
    if (caller.auth?.isSuperuser && deps.superuserAllowedFrom && !deps.superuserAllowedFrom(conn.ip)) {
      throw forbidden('Superusers may not connect from this address.');
    }
    setCaller(conn, caller);
    return caller;
  }

  const fanoutDeps: FanoutDeps = {
    ...deps,
    onSubscriptionError(sub, err) {
      detach(sub);
      sub.hooks.onError?.(sub, err);
    },
    onCallerExpired: endCaller,
  };

  function onChanges(changes: ChangeEntry[], info: { through: number; gap: boolean }): void {
    heard = Math.max(heard, info.through);
    if (q) {
      fanning = fanning.then(() => fanOutLive(q, changes, info)).catch((err: unknown) => logger.error('realtime: fan-out failed', err));
      return;
    }
    if (info.gap) {
      for (const idx of byCollection.values()) for (const sub of idx.all()) if (sub.live) sub.hooks.onResync?.(sub);
    }
    // An auth record changed: its connections get the fresh record (or end) before rules run.
    for (const c of changes) {
      const conns = byCaller.get(`${c.collectionId}:${c.recordId}`);
      if (conns) for (const conn of [...conns]) recheck(conn);
    }
    fanOut(fanoutDeps, changes, (id) => byCollection.get(id), { live: true });
    through = Math.max(through, info.through);
  }

  /** onChanges on an async engine (chained by it). */
  async function fanOutLive(engine: SqlQueryable, changes: ChangeEntry[], info: { through: number; gap: boolean }): Promise<void> {
    if (info.gap) {
      for (const idx of byCollection.values()) for (const sub of idx.all()) if (sub.live) sub.hooks.onResync?.(sub);
    }
    const rechecks: Promise<void>[] = [];
    for (const c of changes) {
      const conns = byCaller.get(`${c.collectionId}:${c.recordId}`);
      if (conns) for (const conn of [...conns]) rechecks.push(recheckOn(conn));
    }
    await Promise.all(rechecks);
    await fanOutOn(fanoutDeps, engine, changes, (id) => byCollection.get(id), { live: true });
    through = Math.max(through, info.through);
  }

  async function replay(sub: Subscription): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    const alone = new CollectionIndex(sub.collectionId);
    alone.add(sub);
    while (!sub.removed && !sub.conn.closed) {
      const res = await feed.readSince(sub.lastSeq, options.replayChunk);
      if (res.gap) {
        sub.lastSeq = feed.latestSeq();
        sub.live = true;
        sub.hooks.onResync?.(sub);
        return;
      }
      if (res.changes.length > 0) {
        const only = (id: string) => (id === sub.collectionId ? alone : undefined);
        if (q) await fanOutOn(fanoutDeps, q, res.changes, only, { live: false });
        else fanOut(fanoutDeps, res.changes, only, { live: false });
        sub.lastSeq = Math.max(sub.lastSeq, res.changes[res.changes.length - 1]!.seq);
      }
      // Caught up: everything committed so far was read; later seqs arrive live. A read that
      // awaited the network may have let live changes pass this (not yet live) subscription:
      // when the feed handed over past what was read, read again.
      if (res.changes.length < options.replayChunk && heard <= sub.lastSeq) {
        sub.live = true;
        return;
      }
      await sub.conn.room();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** The feed's unsubscribe while the hub listens (a connection is open). */
  let offFeed: (() => void) | undefined;
  function listen(on: boolean): void {
    if (on && !offFeed) {
      offFeed = feed.subscribe(onChanges);
      // Nothing was fanned out while no one listened: everything before now counts as done.
      through = heard = Math.max(through, feed.latestSeq());
    } else if (!on && offFeed) {
      offFeed();
      offFeed = undefined;
    }
  }
  const authTimer = setInterval(() => {
    for (const conns of [...byCaller.values()]) {
      for (const conn of [...conns]) {
        if (q) recheckOn(conn).catch((err: unknown) => logger.warn('realtime: re-checking a token failed', err));
        else recheck(conn);
      }
    }
  }, options.authCheckMs);
  authTimer.unref();

  return {
    open({ ip, ...init }) {
      const fromIp = ip === undefined ? 0 : (perIp.get(ip) ?? 0);
      if (fromIp >= options.maxConnectionsPerIp) {
        throw new AppError('rate_limited', `Too many realtime connections from this address (maxConnectionsPerIp ${options.maxConnectionsPerIp}).`);
      }
      const conn = new Connection({ id: newId(40 - idSuffix.length) + idSuffix, limits: options, onClose, ip, ...init });
      listen(true);
      connections.set(conn.id, conn);
      if (ip !== undefined) {
        perIp.set(ip, fromIp + 1);
        ipOf.set(conn, ip);
      }
      return conn;
    },
    find: (id) => connections.get(id),
    verify: (token) => (q ? verifyCallerOn(deps.sessions, token) : verifyCaller(deps.sessions, token)),
    authenticate(conn, token) {
      if (q) return verifyCallerOn(deps.sessions, token).then((caller) => bind(conn, caller));
      return bind(conn, verifyCaller(deps.sessions, token));
    },
    setCaller,
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
      const seq = feed.latestSeq();
      conn.subs.set(sub.id, sub);
      let idx = byCollection.get(collection.id);
      if (!idx) byCollection.set(collection.id, (idx = new CollectionIndex(collection.id)));
      idx.add(sub);
      if (opts.since === undefined) {
        sub.lastSeq = seq;
      } else {
        sub.live = false;
        sub.lastSeq = opts.since;
        replay(sub).catch((err) => {
          logger.error('realtime: replay failed', err);
          conn.close(1011, 'Replay failed.');
        });
      }
      return { sub, seq };
    },
    remove(conn, id) {
      const sub = conn.subs.get(id);
      if (!sub) return false;
      detach(sub);
      return true;
    },
    collectionExists(nameOrId) {
      const c = registry.find(nameOrId);
      return c !== undefined && c.type !== 'view';
    },
    dropMissing() {
      for (const [collectionId, idx] of [...byCollection]) {
        if (registry.find(collectionId)?.id === collectionId) continue;
        for (const sub of [...idx.all()]) fanoutDeps.onSubscriptionError(sub, notFound('The collection was deleted.'));
      }
    },
    latestSeq: () => feed.latestSeq(),
    position(conn) {
      let pos = through;
      for (const sub of conn.subs.values()) if (!sub.live) pos = Math.min(pos, sub.lastSeq);
      return pos;
    },
    stats() {
      let subscriptions = 0;
      for (const idx of byCollection.values()) subscriptions += idx.size;
      let queuedMessages = 0;
      for (const conn of connections.values()) queuedMessages += conn.queued;
      const matching = { byValue: 0, scan: 0, sql: 0, byRecord: 0 };
      for (const idx of byCollection.values()) {
        const c = idx.counts();
        matching.byValue += c.byValue;
        matching.scan += c.scan;
        matching.sql += c.sql;
        matching.byRecord += c.byRecord;
      }
      const throughSeq = offFeed ? through : Math.max(through, feed.latestSeq());
      return { connections: connections.size, subscriptions, closedSlow, queuedMessages, throughSeq, matching };
    },
    close() {
      listen(false);
      clearInterval(authTimer);
      for (const conn of [...connections.values()]) conn.close(1001, 'Server shutting down.');
    },
  };
}
