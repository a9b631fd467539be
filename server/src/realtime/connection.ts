/**
 * One client connection, whatever the transport: who it is (its Caller), its subscriptions, and
 * its bounded outbound queue. Messages go straight to the transport while the transport's own
 * buffer is below the high-water mark; beyond it they wait here, and a connection whose queue
 * passes its message or size limit is closed with 1013 ("try again later") and its queue dropped,
 * so one reader that does not read costs at most the limits, never unbounded memory, and never
 * delays anyone else (enqueueing is O(1) and never waits).
 */
import { ANONYMOUS_CALLER, type Caller } from './caller.ts';
import type { Subscription } from './subscription.ts';

export { ANONYMOUS_CALLER, type Caller };

/**
 * One outbound message: text, or its UTF-8 bytes. Fan-out encodes a change once and hands the
 * same bytes to every connection it goes to, so transports must treat bytes as read-only.
 */
export type Frame = string | Uint8Array;

/** Queue accounting: a string counts its UTF-16 length (close to its bytes for JSON), bytes their length. */
const sizeOf = (frame: Frame): number => frame.length;

/** What a transport (ws socket, SSE stream) offers the hub. */
export interface Transport {
  send(frame: Frame): void;
  /** Bytes handed to the transport but not yet written to the network. */
  bufferedAmount(): number;
  close(code: number, reason: string): void;
  /**
   * Optional: hold writes until uncork(), so the frames of one fan-out leave in one system call
   * (a socket's cork); transports without a socket of their own leave these out.
   */
  cork?(): void;
  uncork?(): void;
}

export interface QueueLimits {
  maxQueueMessages: number;
  maxQueueBytes: number;
  highWaterBytes: number;
}

/** Close code for a consumer that fell too far behind (RFC 6455: "Try Again Later"). */
export const CLOSE_SLOW_CONSUMER = 1013;
/** Application close code: the connection's auth token expired or was revoked. */
export const CLOSE_AUTH_ENDED = 4401;

export class Connection {
  readonly id: string;
  readonly protocol: 'ws' | 'sse';
  /** Request query and headers of the opening request, exposed to rules as `@request.*`. */
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  /** The client address the connection was opened from, when known. */
  readonly ip: string | undefined;
  readonly subs = new Map<string, Subscription>();
  /** Topics that name no collection (`@oauth2`): they carry messages sent to this client alone. */
  readonly customTopics = new Set<string>();
  caller: Caller = ANONYMOUS_CALLER;
  /** Bumped whenever `caller` changes, so compiled rules are rebuilt. */
  callerVersion = 0;
  closed = false;
  closeCode = 0;

  private readonly transport: Transport;
  private readonly limits: QueueLimits;
  private readonly onClose: (conn: Connection) => void;
  private queue: Frame[] = [];
  private head = 0;
  private queuedBytes = 0;
  private roomWaiters: Array<() => void> = [];
  private corked = false;

  constructor(init: {
    id: string;
    protocol: 'ws' | 'sse';
    transport: Transport;
    limits: QueueLimits;
    query: Record<string, string>;
    headers: Record<string, string>;
    ip?: string;
    onClose: (conn: Connection) => void;
  }) {
    this.id = init.id;
    this.protocol = init.protocol;
    this.transport = init.transport;
    this.limits = init.limits;
    this.query = init.query;
    this.headers = init.headers;
    this.ip = init.ip;
    this.onClose = init.onClose;
  }

  get queued(): number {
    return this.queue.length - this.head;
  }

  setCaller(caller: Caller): void {
    this.caller = caller;
    this.callerVersion += 1;
  }

  send(frame: Frame): void {
    if (this.closed) return;
    if (this.queued === 0 && this.transport.bufferedAmount() < this.limits.highWaterBytes) {
      this.transport.send(frame);
      return;
    }
    this.queue.push(frame);
    this.queuedBytes += sizeOf(frame);
    if (this.queued > this.limits.maxQueueMessages || this.queuedBytes > this.limits.maxQueueBytes) {
      this.close(CLOSE_SLOW_CONSUMER, 'Too slow: the outbound queue limit was reached.');
    }
  }

  /**
   * Holds the transport's writes (when it can) until uncork(); true when this call corked it, so
   * the caller uncorks it once it has sent everything it had for this connection.
   */
  cork(): boolean {
    if (this.corked || this.closed || !this.transport.cork) return false;
    this.corked = true;
    this.transport.cork();
    return true;
  }

  uncork(): void {
    if (!this.corked) return;
    this.corked = false;
    this.transport.uncork?.();
  }

  /** The transport drained some data: move queued messages to it. */
  pump(): void {
    // Called after every write the transport completes: the common case (nothing waiting) is free.
    if (this.queued === 0 && this.roomWaiters.length === 0) return;
    while (!this.closed && this.queued > 0 && this.transport.bufferedAmount() < this.limits.highWaterBytes) {
      const frame = this.queue[this.head]!;
      this.queue[this.head++] = '';
      this.queuedBytes -= sizeOf(frame);
      this.transport.send(frame);
    }
    if (this.queued === 0) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (this.hasRoom()) this.wakeWaiters();
  }

  /** Resolves once the queue is at most half full (or the connection closed): replay backpressure. */
  room(): Promise<void> {
    if (this.hasRoom()) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.markClosed(code);
    try {
      this.transport.close(code, reason);
    } catch {
      // Already gone.
    }
  }

  /** The transport closed on its own (peer left, network error). */
  transportClosed(code = 1006): void {
    if (!this.closed) this.markClosed(code);
  }

  private markClosed(code: number): void {
    this.closed = true;
    this.closeCode = code;
    this.queue = [];
    this.head = 0;
    this.queuedBytes = 0;
    this.wakeWaiters();
    this.onClose(this);
  }

  private hasRoom(): boolean {
    return this.closed || this.queued * 2 <= this.limits.maxQueueMessages;
  }

  private wakeWaiters(): void {
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const w of waiters) w();
  }
}
