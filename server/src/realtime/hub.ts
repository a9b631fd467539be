/**
 * The hub: connections (hub-connections.ts), who is behind them (hub-callers.ts), their
 * subscriptions indexed by collection (hub-subscriptions.ts), resuming with `since` (replay.ts)
 * and the glue from the change feed to live fan-out (hub-live.ts). This file wires them into the
 * one object the protocols (ws-protocol.ts, sse-protocol.ts) and the server use.
 */
import type { CollectionRegistry } from '../collections/registry.ts';
import type { SessionService } from '../auth/index.ts';
import type { SqlQueryable } from '../db/index.ts';
import type { Logger } from '../shared/logger.ts';
import type { ChangeFeed } from './change-feed.ts';
import type { Caller, Connection, Transport } from './connection.ts';
import type { FanoutDeps } from './fanout.ts';
import { createCallers } from './hub-callers.ts';
import { createConnections } from './hub-connections.ts';
import { createLive } from './hub-live.ts';
import { createSubscriptions, type AddOptions } from './hub-subscriptions.ts';
import type { RealtimeOptions } from './options.ts';
import { replay } from './replay.ts';
import type { Subscription, SubscriptionSpec } from './subscription.ts';

export type { AddOptions } from './hub-subscriptions.ts';

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
  const q = deps.engine;

  const subs = createSubscriptions({
    registry,
    options,
    checkReadOptions: deps.checkReadOptions,
    latestSeq: () => feed.latestSeq(),
    replay(sub) {
      replay({ feed, fanout, chunk: options.replayChunk, engine: q, heard: live.heard }, sub).catch((err: unknown) => {
        logger.error('realtime: replay failed', err);
        sub.conn.close(1011, 'Replay failed.');
      });
    },
  });
  const callers = createCallers({
    sessions: deps.sessions,
    engine: q,
    superuserAllowedFrom: deps.superuserAllowedFrom,
    refile: subs.refile,
    authCheckMs: options.authCheckMs,
    logger,
  });
  const fanout: FanoutDeps = { ...deps, onSubscriptionError: subs.fail, onCallerExpired: callers.endCaller };
  const live = createLive({ feed, fanout, subs, callers, engine: q, logger });
  const connections = createConnections({
    options,
    idSuffix: deps.idSuffix ?? '',
    onFirst: () => live.listen(true),
    onClose(conn) {
      for (const sub of [...conn.subs.values()]) subs.detach(sub);
      callers.forget(conn);
    },
    onEmpty: () => live.listen(false),
  });

  return {
    open: (init) => connections.open(init),
    find: (id) => connections.find(id),
    verify: callers.verify,
    authenticate: callers.authenticate,
    setCaller: callers.setCaller,
    add: subs.add,
    remove: subs.remove,
    collectionExists(nameOrId) {
      const c = registry.find(nameOrId);
      return c !== undefined && c.type !== 'view';
    },
    dropMissing: subs.dropMissing,
    latestSeq: () => feed.latestSeq(),
    position(conn) {
      let pos = live.through();
      for (const sub of conn.subs.values()) if (!sub.live) pos = Math.min(pos, sub.lastSeq);
      return pos;
    },
    stats() {
      let subscriptions = 0;
      const matching = { byValue: 0, scan: 0, sql: 0, byRecord: 0 };
      for (const idx of subs.indexes()) {
        subscriptions += idx.size;
        const c = idx.counts();
        matching.byValue += c.byValue;
        matching.scan += c.scan;
        matching.sql += c.sql;
        matching.byRecord += c.byRecord;
      }
      return {
        connections: connections.size,
        subscriptions,
        closedSlow: connections.closedSlow(),
        queuedMessages: connections.queuedMessages(),
        throughSeq: live.through(),
        matching,
      };
    },
    close() {
      live.listen(false);
      callers.close();
      connections.closeAll(1001, 'Server shutting down.');
    },
  };
}
