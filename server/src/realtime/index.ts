/**
 * realtime/ — change feed over `_changes` (retention, replay), the hub (subscriptions, rule-checked
 * fan-out after commit), and the WS and SSE protocols, transport-agnostic. Imports records/,
 * rules/, auth/ (token checks), collections/, db/, shared/; never http/, hono or ws.
 * Entry point: createRealtime(deps); http/ binds sockets and streams to it.
 */
import type { SqlDb, SqlEngine } from '../db/index.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import type { SessionService } from '../auth/index.ts';
import type { EventBus } from '../shared/events.ts';
import type { Logger } from '../shared/logger.ts';
import { notFound } from '../shared/errors.ts';
import { checkReadOptions, finishRecordsSync } from '../records/read-options.ts';
import type { ChangeFeed } from './change-feed.ts';
import { createSqliteChangeFeed } from './sqlite-change-feed.ts';
import { pruneChanges, startRetention } from './retention.ts';
import { createSnapshotTables } from './snapshot-table.ts';
import { createSnapshotValues } from './snapshot-values.ts';
import { createHub, type Hub, type HubStats } from './hub.ts';
import { resolveRealtimeOptions, type RealtimeOptions, type RealtimeOptionsInput, type RetentionOptions } from './options.ts';
import type { Caller, Connection, Transport } from './connection.ts';
import { createWsSession, type WsSession } from './ws-protocol.ts';
import { createSseSession, type SseSession } from './sse-protocol.ts';
import { deliverOnce, type DeliveryResult } from './custom-topics.ts';
import { answerOf, isClientOp, ownerOf, resultOf, workerMark, type ClientCalls, type ClientOpAnswer } from './client-calls.ts';

export type { ChangeEntry, ChangeFeed, ReadResult } from './change-feed.ts';
export type { Caller, Connection, Frame, Transport } from './connection.ts';
export { CLOSE_AUTH_ENDED, CLOSE_SLOW_CONSUMER } from './connection.ts';
export type { Hub, HubStats } from './hub.ts';
export type { WsSession } from './ws-protocol.ts';
export type { SseSession } from './sse-protocol.ts';
export { pruneChanges } from './retention.ts';
export type { DeliveryResult } from './custom-topics.ts';
export * from './options.ts';

export interface RealtimeDeps {
  /** SQLite: the synchronous interface the one-turn fan-out and the default feed read through. */
  db?: SqlDb;
  /** `_changes` retention runs on the engine; on PostgreSQL the fan-out's reads and token checks too. */
  engine: SqlEngine;
  registry: CollectionRegistry;
  events: EventBus;
  sessions: SessionService;
  logger: Logger;
  options?: RealtimeOptionsInput;
  /** Defaults to the in-process feed over `_changes` (SQLite; required on PostgreSQL). */
  feed?: ChangeFeed;
  /** A cluster worker's way to the clients of the others (client-calls.ts). */
  calls?: ClientCalls;
  /** False when a superuser may not connect from this address (the `superuserIPs` setting). */
  superuserAllowedFrom?: (ip: string | undefined) => boolean;
}

interface OpenInit {
  transport: Transport;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The client address, for maxConnectionsPerIp; opening throws a 429 AppError past it. */
  ip?: string;
}

export interface Realtime {
  readonly options: RealtimeOptions;
  readonly hub: Hub;
  readonly feed: ChangeFeed;
  openWs(init: OpenInit): { conn: Connection; session: WsSession };
  openSse(init: OpenInit): { conn: Connection; session: SseSession };
  /** POST /api/realtime. 404 for an unknown (or closed) client id. */
  setSseTopics(clientId: unknown, subscriptions: unknown, caller: Caller | null): void;
  /** The caller behind a token (null when invalid), for transports that authenticate per request. */
  verify(token: string): Caller | null | Promise<Caller | null>;
  /** Sends `data` once to client `clientId` listening on custom topic `topic` (custom-topics.ts). */
  deliverOnce(clientId: string, topic: string, data: unknown, fromIp: string | undefined): DeliveryResult;
  /** setSseTopics for a client of any worker (token: the request's, verified by the owner). */
  setSseTopicsAnywhere(clientId: unknown, subscriptions: unknown, token: string | null): Promise<void>;
  /** deliverOnce to a client of any worker. */
  deliverOnceAnywhere(clientId: string, topic: string, data: unknown, fromIp: string | undefined): Promise<DeliveryResult>;
  /** Runs another worker's call on this one's clients. */
  answerCall(op: unknown): ClientOpAnswer;
  /** Prunes the log to the retention window now (or to `window`); returns the rows deleted. */
  prune(window?: Partial<Pick<RetentionOptions, 'maxRows' | 'maxAgeMs'>>): Promise<number>;
  stats(): HubStats;
  /** Closes every connection (1001) and stops the background work. */
  close(): void;
}

export function createRealtime(deps: RealtimeDeps): Realtime {
  const options = resolveRealtimeOptions(deps.options);
  const { db, registry, logger } = deps;
  // PostgreSQL reads are promises: the fan-out reads ahead on the engine (fanout-engine.ts).
  const onEngine = deps.engine.kind !== 'sqlite';
  if (!onEngine && !db) throw new Error('realtime on SQLite needs its synchronous db');
  if (!deps.feed && !db) throw new Error('realtime needs a change feed');
  const feed = deps.feed ?? createSqliteChangeFeed({ db: db!, events: deps.events, logger, pollIntervalMs: options.pollIntervalMs });
  // On SQLite the fan-out renders expand/fields while it delivers, in one turn: over the synchronous interface.
  const records = { db, registry };
  const hub = createHub({
    registry,
    feed,
    sessions: deps.sessions,
    options,
    logger,
    records,
    snapshots: onEngine ? createSnapshotValues(deps.engine, logger) : createSnapshotTables(db!),
    engine: onEngine ? deps.engine : undefined,
    idSuffix: deps.calls ? workerMark(deps.calls.self) : '',
    superuserAllowedFrom: deps.superuserAllowedFrom,
    checkReadOptions(sub) {
      if (!sub.expand && !sub.fields) return;
      const collection = registry.get(sub.collectionId);
      // Validates names and syntax without reading a real record (no ids: no rows are fetched).
      if (onEngine) checkReadOptions(records, collection, { expand: sub.expand, fields: sub.fields }, sub.info());
      else finishRecordsSync({ registry, db: db! }, collection, [{ id: '' }], { expand: sub.expand, fields: sub.fields }, sub.info());
    },
  });
  const stopRetention = startRetention(deps.engine, options.retention, logger);
  const offSchema = deps.events.on('schemaChanged', () => hub.dropMissing());
  const sse = new WeakMap<Connection, SseSession>();
  /** The other worker holding this client, or null when it is ours (or there are no others). */
  const remoteOwner = (clientId: string): number | null => {
    if (!deps.calls) return null;
    const owner = ownerOf(clientId);
    return owner !== null && owner !== deps.calls.self ? owner : null;
  };
  return {
    options,
    hub,
    feed,
    openWs(init) {
      const conn = hub.open({ protocol: 'ws', ...init });
      return { conn, session: createWsSession(hub, conn) };
    },
    openSse(init) {
      const conn = hub.open({ protocol: 'sse', ...init });
      const session = createSseSession(hub, conn, options.maxSubscriptions);
      sse.set(conn, session);
      return { conn, session };
    },
    setSseTopics(clientId, subscriptions, caller) {
      const conn = typeof clientId === 'string' ? hub.find(clientId) : undefined;
      const session = conn && !conn.closed ? sse.get(conn) : undefined;
      if (!session) throw notFound('Missing or invalid client id.');
      session.setTopics(subscriptions, caller);
    },
    verify: (token) => hub.verify(token),
    deliverOnce: (clientId, topic, data, fromIp) => deliverOnce(hub, clientId, topic, data, fromIp),
    async setSseTopicsAnywhere(clientId, subscriptions, token) {
      const owner = typeof clientId === 'string' ? remoteOwner(clientId) : null;
      if (owner !== null && typeof clientId === 'string') {
        resultOf(await deps.calls!.call(owner, { kind: 'topics', clientId, subscriptions, token }));
        return;
      }
      this.setSseTopics(clientId, subscriptions, token ? await hub.verify(token) : null);
    },
    async deliverOnceAnywhere(clientId, topic, data, fromIp) {
      const owner = remoteOwner(clientId);
      if (owner === null) return deliverOnce(hub, clientId, topic, data, fromIp);
      return resultOf(await deps.calls!.call(owner, { kind: 'deliver', clientId, topic, data, fromIp })).delivered ?? 'missing';
    },
    answerCall(op) {
      if (!isClientOp(op)) return { ok: false, code: 'bad_request', message: 'Unknown realtime call.', data: {} };
      return answerOf(() => {
        if (op.kind === 'deliver') return { ok: true, delivered: deliverOnce(hub, op.clientId, op.topic, op.data, op.fromIp) };
        const caller = op.token ? hub.verify(op.token) : null;
        // Calls between workers exist on SQLite only (`--workers`), where the check is synchronous.
        if (caller instanceof Promise) throw new Error('realtime: a worker call needs a synchronous token check');
        this.setSseTopics(op.clientId, op.subscriptions, caller);
        return { ok: true };
      });
    },
    prune: (window) => pruneChanges(deps.engine, { ...options.retention, ...window }),
    stats: () => hub.stats(),
    close() {
      stopRetention();
      offSchema();
      hub.close();
      feed.close();
    },
  };
}
