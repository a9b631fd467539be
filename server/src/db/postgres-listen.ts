/**
 * One dedicated Postgres connection that LISTENs on Hearth's channels (a pooled client cannot:
 * LISTEN belongs to a session). Notifications are wake-ups only; when the connection drops it is
 * opened again after `retryMs`, and every (re)connect is reported, because notifications sent
 * while it was down are lost — whoever listens re-reads the database then.
 */
import pg from 'pg';

/** Wait before reconnecting a dropped listener connection. */
export const LISTEN_RETRY_MS = 1_000;

export interface PostgresListener {
  /** Calls fn with each notification's payload on `channel`; returns an unsubscribe. */
  on(channel: string, fn: (payload: string) => void): () => void;
  /** Calls fn after each successful (re)connect, the first included. */
  onConnect(fn: () => void): () => void;
  /** Resolves once the first LISTEN is in place (rejects if the first connect fails). */
  readonly ready: Promise<void>;
  /** The server process id of the current listener connection (0 while disconnected). */
  backendPid(): number;
  close(): Promise<void>;
}

export interface ListenOptions {
  retryMs?: number;
  onError?: (err: unknown) => void;
}

const quoteChannel = (name: string): string => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Invalid channel name "${name}".`);
  return `"${name}"`;
};

export function listenPostgres(url: string, channels: readonly string[], options: ListenOptions = {}): PostgresListener {
  const retryMs = options.retryMs ?? LISTEN_RETRY_MS;
  const handlers = new Map<string, Set<(payload: string) => void>>(channels.map((c) => [c, new Set()]));
  const connected = new Set<() => void>();
  const listenSql = channels.map((c) => `LISTEN ${quoteChannel(c)}`).join('; ');
  let client: pg.Client | null = null;
  let pid = 0;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const report = (err: unknown) => options.onError?.(err);

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (msg) => {
      for (const fn of handlers.get(msg.channel) ?? []) {
        try {
          fn(msg.payload ?? '');
        } catch (err) {
          report(err);
        }
      }
    });
    c.on('error', (err) => {
      report(err);
      dropped(c);
    });
    c.on('end', () => dropped(c));
    try {
      await c.connect();
      await c.query(listenSql);
      const row = await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      pid = row.rows[0]?.pid ?? 0;
    } catch (err) {
      c.removeAllListeners('end');
      await c.end().catch(() => {});
      throw err;
    }
    if (closed) {
      await c.end().catch(() => {});
      return;
    }
    client = c;
    for (const fn of connected) {
      try {
        fn();
      } catch (err) {
        report(err);
      }
    }
  }

  function dropped(c: pg.Client): void {
    if (client !== c) return;
    client = null;
    pid = 0;
    c.end().catch(() => {});
    scheduleRetry();
  }

  function scheduleRetry(): void {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch((err: unknown) => {
        report(err);
        scheduleRetry();
      });
    }, retryMs);
    retry.unref();
  }

  const ready = connect();
  ready.catch(() => scheduleRetry());

  return {
    on(channel, fn) {
      const set = handlers.get(channel);
      if (!set) throw new Error(`Not listening on "${channel}".`);
      set.add(fn);
      return () => set.delete(fn);
    },
    onConnect(fn) {
      connected.add(fn);
      return () => connected.delete(fn);
    },
    ready,
    backendPid: () => pid,
    async close() {
      closed = true;
      clearTimeout(retry);
      const c = client;
      client = null;
      pid = 0;
      await c?.end().catch(() => {});
    },
  };
}
