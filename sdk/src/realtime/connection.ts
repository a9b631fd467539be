/**
 * The realtime connection: one WebSocket per client, opened on the first subscription and closed
 * after the last. Authenticates with the session's token (again whenever it changes), reconnects
 * with backoff + jitter, resumes every subscription with `since`, and pings to detect dead links.
 */
import { HearthError } from '../errors.ts';
import type { AuthSession } from '../auth/auth-session.ts';
import { backoffDelay, type BackoffOptions } from './backoff.ts';
import { startHeartbeat } from './heartbeat.ts';
import { parseServerMessage, type ClientMessage, type ServerMessage } from './protocol.ts';
import { resolveWebSocket, SOCKET_OPEN, type SocketConstructor, type SocketLike } from './socket.ts';
import { Listeners } from '../listeners.ts';
import { Subscription, type ChangeEvent, type SubscribeOptions } from './subscription.ts';

export interface RealtimeOptions {
  /** A WebSocket implementation (default: the global one, else the `ws` package). */
  WebSocket?: SocketConstructor;
  backoff?: BackoffOptions;
  /** Ms between pings; a connection silent for twice as long is replaced (default 25 000, 0 = off). */
  pingInterval?: number;
}

export type RealtimeStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';
export type Unsubscribe = () => Promise<void>;

const DEFAULT_PING_INTERVAL = 25_000;
/** The server's close code for "the connection's auth token expired or was revoked". */
const CLOSE_AUTH_ENDED = 4401;

export class RealtimeConnection {
  #url: string;
  #session: AuthSession;
  #options: RealtimeOptions;
  #subs = new Map<string, Subscription>();
  #socket: SocketLike | null = null;
  #readySocket: SocketLike | null = null;
  #connecting = false;
  /** `ready` arrived and auth + subscriptions were sent on the current socket. */
  #live = false;
  #attempt = 0;
  #nextId = 1;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #stopHeartbeat: () => void = () => undefined;
  #lastMessageAt = 0;
  #sentToken = '';
  #status: RealtimeStatus = 'idle';
  #statusListeners = new Listeners<RealtimeStatus>();
  #errorListeners = new Listeners<HearthError>();

  constructor(url: string, session: AuthSession, options: RealtimeOptions = {}) {
    this.#url = url;
    this.#session = session;
    this.#options = options;
    session.onChange((state) => this.#onAuthChange(state?.token ?? ''));
  }

  get status(): RealtimeStatus {
    return this.#status;
  }

  onStatus(listener: (status: RealtimeStatus) => void): () => void {
    return this.#statusListeners.add(listener);
  }

  /** Errors not tied to one subscription (e.g. a refused auth message). */
  onError(listener: (error: HearthError) => void): () => void {
    return this.#errorListeners.add(listener);
  }

  /** Resolves with an unsubscribe function once the server confirmed; rejects if it refused. */
  subscribe(collection: string, options: SubscribeOptions, handler: (event: ChangeEvent) => void): Promise<Unsubscribe> {
    if (this.#status === 'closed') return Promise.reject(new HearthError({ status: 0, message: 'The client was closed.' }));
    const id = `s${this.#nextId++}`;
    return new Promise((resolve, reject) => {
      const sub = new Subscription(id, collection, options, handler, {
        resolve: () => resolve(() => this.#unsubscribe(id)),
        reject: (err) => {
          this.#subs.delete(id);
          reject(err);
        },
      });
      this.#subs.set(id, sub);
      if (this.#live) this.#send(sub.subscribeMessage());
      else this.#ensureConnected();
    });
  }

  /** Closes the socket for good; subscriptions end. */
  close(): void {
    this.#subs.clear();
    this.#stop();
    this.#setStatus('closed');
  }

  /** Drops the current socket as if the network failed (reconnects and resumes). For tests and "reconnect now" buttons. */
  reconnect(): void {
    if (this.#socket) this.#onClose();
  }

  async #unsubscribe(id: string): Promise<void> {
    if (!this.#subs.delete(id)) return;
    if (this.#live) this.#send({ type: 'unsubscribe', id });
    if (this.#subs.size === 0) {
      this.#stop();
      this.#setStatus('idle');
    }
  }

  #ensureConnected(): void {
    if (this.#socket || this.#connecting || this.#retryTimer !== undefined) return;
    void this.#connect();
  }

  async #connect(): Promise<void> {
    this.#connecting = true;
    this.#setStatus(this.#attempt === 0 ? 'connecting' : 'reconnecting');
    let socket: SocketLike;
    try {
      const Ctor = await resolveWebSocket(this.#options.WebSocket);
      socket = new Ctor(this.#url);
    } catch (err) {
      this.#connecting = false;
      this.#errorListeners.emit(new HearthError({ status: 0, message: `Realtime connection failed: ${String(err)}`, cause: err }));
      this.#scheduleRetry();
      return;
    }
    this.#connecting = false;
    socket.onerror = () => undefined; // a close event follows (and `ws` throws on unhandled errors)
    if (this.#subs.size === 0 || this.#status === 'closed') return socket.close(1000);
    this.#socket = socket;
    this.#lastMessageAt = Date.now();
    socket.onmessage = (event) => {
      if (this.#socket !== socket) return;
      this.#lastMessageAt = Date.now();
      const msg = parseServerMessage(event.data);
      if (msg) this.#onMessage(socket, msg);
    };
    socket.onclose = (event) => {
      if (this.#socket !== socket) return;
      if (event.code === CLOSE_AUTH_ENDED) this.#onAuthEnded();
      else this.#onClose();
    };
  }

  #onMessage(socket: SocketLike, msg: ServerMessage): void {
    if (msg.type === 'ready') {
      // The server also answers each `auth` with `ready`: only the first one starts the session.
      if (this.#readySocket !== socket) {
        this.#readySocket = socket;
        void this.#onReady(socket);
      }
      return;
    }
    if (msg.type === 'pong') return;
    if (msg.type === 'error' && !msg.id) {
      this.#errorListeners.emit(new HearthError({ status: msg.status ?? 0, message: msg.message ?? 'Realtime error.', response: msg }));
      return;
    }
    const sub = msg.type === 'error' || msg.type === 'subscribed' || msg.type === 'change' || msg.type === 'resync' ? this.#subs.get(msg.id ?? '') : undefined;
    if (!sub) return;
    if (msg.type === 'subscribed') sub.onSubscribed(msg.seq);
    else if (msg.type === 'change') sub.onChange(msg.seq, msg.action, msg.record);
    else if (msg.type === 'resync') {
      sub.onResync();
      this.#send({ type: 'unsubscribe', id: sub.id });
      this.#send(sub.subscribeMessage());
    } else if (msg.type === 'error') {
      this.#subs.delete(sub.id);
      sub.onError(new HearthError({ status: msg.status ?? 0, message: msg.message ?? 'Subscription refused.', response: msg }));
    }
  }

  async #onReady(socket: SocketLike): Promise<void> {
    const token = await this.#session.requestToken();
    if (this.#socket !== socket) return;
    this.#attempt = 0;
    this.#sentToken = token;
    if (token) this.#send({ type: 'auth', token });
    this.#live = true;
    for (const sub of this.#subs.values()) this.#send(sub.subscribeMessage());
    this.#stopHeartbeat();
    this.#stopHeartbeat = startHeartbeat(
      this.#options.pingInterval ?? DEFAULT_PING_INTERVAL,
      () => this.#lastMessageAt,
      () => this.#send({ type: 'ping' }),
      () => this.#onClose(),
    );
    this.#setStatus('open');
  }

  #onAuthChange(token: string): void {
    if (!this.#live || token === this.#sentToken) return;
    this.#sentToken = token;
    if (token) this.#send({ type: 'auth', token });
    else this.#onClose(true); // signed out: start an anonymous connection
  }

  /** The server ended the session's stream (token expired or revoked): refresh, then resume. */
  #onAuthEnded(): void {
    this.#stop();
    // A refused refresh clears the session, and the next connection is anonymous.
    void this.#session
      .refresh()
      .catch(() => undefined)
      .finally(() => this.#scheduleRetry());
  }

  #onClose(immediate = false): void {
    this.#stop();
    if (this.#subs.size === 0) return this.#setStatus('idle');
    if (immediate) void this.#connect();
    else this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (this.#subs.size === 0 || this.#status === 'closed') return;
    this.#setStatus('reconnecting');
    const delay = backoffDelay(this.#attempt++, this.#options.backoff);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#ensureConnected();
    }, delay);
  }

  /** Detaches and closes the socket, stops timers. */
  #stop(): void {
    const socket = this.#socket;
    this.#socket = null;
    this.#live = false;
    this.#stopHeartbeat();
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    if (socket) {
      socket.onmessage = socket.onclose = null;
      if (socket.readyState <= SOCKET_OPEN) socket.close(1000);
    }
  }

  #send(msg: ClientMessage): void {
    if (this.#socket?.readyState === SOCKET_OPEN) this.#socket.send(JSON.stringify(msg));
  }

  #setStatus(status: RealtimeStatus): void {
    if (this.#status === status || this.#status === 'closed') return;
    this.#status = status;
    this.#statusListeners.emit(status);
  }
}
