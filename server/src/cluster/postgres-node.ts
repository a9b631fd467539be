/**
 * What one node of a deployment on PostgreSQL opens before its services: the engine (a `pg`
 * pool), the system tables migrated (`migrate`: several nodes starting together apply each step
 * once), one LISTEN connection, the change feed tailing `_changes` (realtime's `feed`) and the
 * peer link for schema and settings notes (the `cluster` link of `linkPeers`). `close()` stops
 * them in reverse order. The composition root hands these to the services running on the engine.
 */
import { CHANGES_CHANNEL, migrate, NOTES_CHANNEL, openPostgresEngine, listenPostgres, type PostgresListener, type SqlEngine } from '../db/index.ts';
import { createPostgresChangeFeed } from '../realtime/postgres-change-feed.ts';
import type { ChangeFeed } from '../realtime/index.ts';
import type { EventBus } from '../shared/events.ts';
import type { Logger } from '../shared/logger.ts';
import type { PeerLink } from '../shared/peers.ts';
import { createPostgresPeerLink } from './postgres-peers.ts';

export interface PostgresNodeOptions {
  url: string;
  logger: Logger;
  /** This node's own commits wake its feed at once. */
  events?: EventBus;
  /** Sent as `X-Hearth-Worker` (default 1). */
  nodeId?: number;
  /** Pool size (db/postgres-engine.ts DEFAULT_POOL_SIZE when not given). */
  poolSize?: number;
  /** The time budget of costly client queries (`engine.allWithin`); absent: none. */
  readBudgetMs?: number;
  /** The feed's safety-net poll (realtime/postgres-change-feed.ts PG_POLL_MS when not given). */
  pollIntervalMs?: number;
}

export interface PostgresNode {
  engine: SqlEngine;
  listener: PostgresListener;
  feed: ChangeFeed;
  peers: PeerLink;
  /** The system migrations this node applied while opening (usually none: another node did). */
  applied: number[];
  close(): Promise<void>;
}

export async function openPostgresNode(options: PostgresNodeOptions): Promise<PostgresNode> {
  const { url, logger } = options;
  const engine = openPostgresEngine(url, { max: options.poolSize, readBudgetMs: options.readBudgetMs });
  let listener: PostgresListener | undefined;
  try {
    const applied = await migrate(engine);
    listener = listenPostgres(url, [CHANGES_CHANNEL, NOTES_CHANNEL], {
      onError: (err) => logger.warn('postgres: the LISTEN connection failed; reconnecting', err),
    });
    await listener.ready;
    const feed = await createPostgresChangeFeed({ engine, listener, events: options.events, logger, pollIntervalMs: options.pollIntervalMs });
    const peers = createPostgresPeerLink(listener, options.nodeId ?? 1);
    const opened = listener;
    return {
      engine,
      listener: opened,
      feed,
      peers,
      applied,
      async close() {
        feed.close();
        await opened.close();
        await engine.close();
      },
    };
  } catch (err) {
    await listener?.close();
    await engine.close();
    throw err;
  }
}
