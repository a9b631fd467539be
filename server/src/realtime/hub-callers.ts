/**
 * Who is behind each connection: binding a verified token (401 when invalid, 403 for a superuser
 * from a refused address), the index of connections by auth record, and re-checking their tokens
 * — on a timer, and when a change touches their auth record — so a revoked or expired token ends
 * its connection (4401) and a changed auth record reaches the rules before the next fan-out. On an
 * engine whose reads are promises (`engine`, PostgreSQL) token checks go through the engine.
 */
import type { SessionService } from '../auth/index.ts';
import type { SqlQueryable } from '../db/index.ts';
import { forbidden, unauthorized } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { ChangeEntry } from './change-feed.ts';
import { sameCaller, verifyCaller, verifyCallerOn } from './caller.ts';
import { CLOSE_AUTH_ENDED, type Caller, type Connection } from './connection.ts';

export interface CallersDeps {
  sessions: SessionService;
  engine?: SqlQueryable;
  /** False when a superuser may not connect from this address (the `superuserIPs` setting). */
  superuserAllowedFrom?: (ip: string | undefined) => boolean;
  /** The connection's caller changed: its subscriptions' conditions must be compiled again. */
  refile(conn: Connection): void;
  authCheckMs: number;
  logger: Logger;
}

export interface Callers {
  verify(token: string): Caller | null | Promise<Caller | null>;
  authenticate(conn: Connection, token: string): Caller | Promise<Caller>;
  setCaller(conn: Connection, caller: Caller): void;
  /** Ends a connection whose token expired or was revoked. */
  endCaller(conn: Pick<Connection, 'close'>): void;
  /** Re-checks the connections whose auth record is among `changes`. */
  recheckChanged(changes: ChangeEntry[]): void;
  /** recheckChanged through the engine. */
  recheckChangedOn(changes: ChangeEntry[]): Promise<void>;
  /** A closed connection leaves the index. */
  forget(conn: Connection): void;
  close(): void;
}

export function createCallers(deps: CallersDeps): Callers {
  const q = deps.engine;
  const byCaller = new Map<string, Set<Connection>>();

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

  function setCaller(conn: Connection, caller: Caller): void {
    index(conn, false);
    conn.setCaller(caller);
    index(conn, true);
    // Their conditions were compiled for the previous caller: file them again.
    deps.refile(conn);
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

  const timer = setInterval(() => {
    for (const conns of [...byCaller.values()]) {
      for (const conn of [...conns]) {
        if (q) recheckOn(conn).catch((err: unknown) => deps.logger.warn('realtime: re-checking a token failed', err));
        else recheck(conn);
      }
    }
  }, deps.authCheckMs);
  timer.unref();

  return {
    verify: (token) => (q ? verifyCallerOn(deps.sessions, token) : verifyCaller(deps.sessions, token)),
    authenticate(conn, token) {
      if (q) return verifyCallerOn(deps.sessions, token).then((caller) => bind(conn, caller));
      return bind(conn, verifyCaller(deps.sessions, token));
    },
    setCaller,
    endCaller,
    recheckChanged(changes) {
      for (const c of changes) {
        const conns = byCaller.get(`${c.collectionId}:${c.recordId}`);
        if (conns) for (const conn of [...conns]) recheck(conn);
      }
    },
    async recheckChangedOn(changes) {
      const rechecks: Promise<void>[] = [];
      for (const c of changes) {
        const conns = byCaller.get(`${c.collectionId}:${c.recordId}`);
        if (conns) for (const conn of [...conns]) rechecks.push(recheckOn(conn));
      }
      await Promise.all(rechecks);
    },
    forget: (conn) => index(conn, false),
    close: () => clearInterval(timer),
  };
}
