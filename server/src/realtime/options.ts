/** Limits and timings of realtime, with the reason for each default. All are overridable. */

export interface RetentionOptions {
  /** Keep at most this many change log rows. */
  maxRows: number;
  /** Drop rows older than this. */
  maxAgeMs: number;
  /** How often the background pruner runs. */
  intervalMs: number;
}

export interface RealtimeOptions {
  retention: RetentionOptions;
  /** Safety-net poll of the log, for writes made by another process (the CLI). */
  pollIntervalMs: number;
  /** Messages waiting for a slow connection before it is closed with 1013. */
  maxQueueMessages: number;
  /** Bytes waiting for a slow connection before it is closed with 1013. */
  maxQueueBytes: number;
  /** Bytes handed to the socket but not yet sent, above which new messages wait in the queue. */
  highWaterBytes: number;
  /** Subscriptions (WS) or topics (SSE) per connection. */
  maxSubscriptions: number;
  /** Of those, subscriptions with a client filter (each is its own query on every write). */
  maxFilteredSubscriptions: number;
  /** Length of one subscription's client filter. */
  maxFilterLength: number;
  /** Open realtime connections (WS and SSE together) from one client address. */
  maxConnectionsPerIp: number;
  /** Largest inbound WebSocket frame. */
  maxMessageBytes: number;
  /** Interval of WebSocket ping frames and SSE keep-alive comments. */
  heartbeatMs: number;
  /** A WebSocket with no inbound traffic (messages or pongs) for this long is closed. */
  idleTimeoutMs: number;
  /** How often every authenticated connection's token is re-verified (expiry, revocation). */
  authCheckMs: number;
  /** Log entries read per step when replaying `since`. */
  replayChunk: number;
}

/** 100k changes at ~1 KB each is ~100 MB of log: a week of a busy small app. */
export const DEFAULT_RETENTION_ROWS = 100_000;
/** A client offline for longer than a week refetches instead of replaying. */
export const DEFAULT_RETENTION_AGE_MS = 7 * 24 * 60 * 60 * 1000;
/** Pruning is a cheap indexed delete; once a minute keeps the log close to its window. */
export const DEFAULT_PRUNE_INTERVAL_MS = 60_000;
/** Writes from this process are delivered at once; this only bounds the delay for other processes. */
export const DEFAULT_POLL_INTERVAL_MS = 1_000;
/** Enough for a burst of a thousand changes; a reader further behind is not keeping up. */
export const DEFAULT_MAX_QUEUE_MESSAGES = 1_000;
/** Caps one slow reader's memory at ~8 MiB (+ the high-water mark). */
export const DEFAULT_MAX_QUEUE_BYTES = 8 * 1024 * 1024;
/** Lets the kernel and `ws` absorb a normal burst before messages queue in Hearth. */
export const DEFAULT_HIGH_WATER_BYTES = 1024 * 1024;
/** PocketBase accepts up to 1000 topics per client; the same bound for both protocols. */
export const DEFAULT_MAX_SUBSCRIPTIONS = 1_000;
/**
 * Subscriptions without a filter that share a caller cost one query per write together; each
 * distinct filter costs its own. 100 per connection covers any real screen of an app and keeps
 * one address's worst case (× maxConnectionsPerIp) to ~2,000 filter queries per write, where
 * 50 sockets × 1,000 filters once made a single write cost 765 ms of CPU.
 */
export const DEFAULT_MAX_FILTERED_SUBSCRIPTIONS = 100;
/** A subscription filter is re-evaluated on every write to its collection; 1 kB is plenty. */
export const DEFAULT_MAX_FILTER_LENGTH = 1_024;
/**
 * Browser tabs of one office behind one NAT stay well below it; a script opening sockets to
 * multiply its subscriptions does not.
 */
export const DEFAULT_MAX_CONNECTIONS_PER_IP = 20;
/** A subscribe message with a long filter fits easily; anything bigger is abuse. */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
/** Below common proxy idle timeouts (60 s) so intermediaries keep the connection open. */
export const DEFAULT_HEARTBEAT_MS = 30_000;
/** Two missed heartbeats and a half: the peer is gone. */
export const DEFAULT_IDLE_TIMEOUT_MS = 75_000;
/** Bounds how long a revoked session keeps receiving (expiry is also checked on delivery). */
export const DEFAULT_AUTH_CHECK_MS = 30_000;
/** Keeps one replay step short so live traffic of other connections is not held up. */
export const DEFAULT_REPLAY_CHUNK = 500;
/** Longest accepted SSE topic (PocketBase's limit). */
export const MAX_TOPIC_LENGTH = 2_500;

export type RealtimeOptionsInput = Partial<Omit<RealtimeOptions, 'retention'>> & { retention?: Partial<RetentionOptions> };

const defined = <T extends object>(o: T | undefined): Partial<T> =>
  Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;

export function resolveRealtimeOptions(input: RealtimeOptionsInput = {}): RealtimeOptions {
  const { retention, ...rest } = input;
  return {
    pollIntervalMs: DEFAULT_POLL_INTERVAL_MS,
    maxQueueMessages: DEFAULT_MAX_QUEUE_MESSAGES,
    maxQueueBytes: DEFAULT_MAX_QUEUE_BYTES,
    highWaterBytes: DEFAULT_HIGH_WATER_BYTES,
    maxSubscriptions: DEFAULT_MAX_SUBSCRIPTIONS,
    maxFilteredSubscriptions: DEFAULT_MAX_FILTERED_SUBSCRIPTIONS,
    maxFilterLength: DEFAULT_MAX_FILTER_LENGTH,
    maxConnectionsPerIp: DEFAULT_MAX_CONNECTIONS_PER_IP,
    maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES,
    heartbeatMs: DEFAULT_HEARTBEAT_MS,
    idleTimeoutMs: DEFAULT_IDLE_TIMEOUT_MS,
    authCheckMs: DEFAULT_AUTH_CHECK_MS,
    replayChunk: DEFAULT_REPLAY_CHUNK,
    ...defined(rest),
    retention: {
      maxRows: DEFAULT_RETENTION_ROWS,
      maxAgeMs: DEFAULT_RETENTION_AGE_MS,
      intervalMs: DEFAULT_PRUNE_INTERVAL_MS,
      ...defined(retention),
    },
  };
}
