/**
 * The hub's open connections: ids (with a cluster worker's mark), the per-address limit, and the
 * count of connections closed for reading too slowly. What a closing connection leaves behind
 * (its subscriptions, its place in the caller index) is the hub's `onClose`, run before it is
 * forgotten; `onEmpty` runs when the last one is gone.
 */
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { CLOSE_SLOW_CONSUMER, Connection, type Transport } from './connection.ts';
import type { RealtimeOptions } from './options.ts';

export interface OpenInit {
  protocol: 'ws' | 'sse';
  transport: Transport;
  query: Record<string, string>;
  headers: Record<string, string>;
  ip?: string;
}

export interface ConnectionsDeps {
  options: RealtimeOptions;
  /** Appended to every client id (a cluster worker's mark, client-calls.ts); ids stay 40 long. */
  idSuffix: string;
  /** A connection opens while none is open. */
  onFirst(): void;
  onClose(conn: Connection): void;
  onEmpty(): void;
}

export interface Connections {
  /** Throws a 429 AppError when `ip` already has maxConnectionsPerIp connections open. */
  open(init: OpenInit): Connection;
  find(id: string): Connection | undefined;
  readonly size: number;
  closedSlow(): number;
  queuedMessages(): number;
  closeAll(code: number, reason: string): void;
}

export function createConnections(deps: ConnectionsDeps): Connections {
  const { options, idSuffix } = deps;
  const connections = new Map<string, Connection>();
  /** Open connections per client address, and each connection's address. */
  const perIp = new Map<string, number>();
  const ipOf = new Map<Connection, string>();
  let closedSlow = 0;

  function onClose(conn: Connection): void {
    if (conn.closeCode === CLOSE_SLOW_CONSUMER) closedSlow += 1;
    deps.onClose(conn);
    connections.delete(conn.id);
    const ip = ipOf.get(conn);
    if (ip !== undefined) {
      ipOf.delete(conn);
      const left = (perIp.get(ip) ?? 1) - 1;
      if (left > 0) perIp.set(ip, left);
      else perIp.delete(ip);
    }
    if (connections.size === 0) deps.onEmpty();
  }

  return {
    open({ ip, ...init }) {
      const fromIp = ip === undefined ? 0 : (perIp.get(ip) ?? 0);
      if (fromIp >= options.maxConnectionsPerIp) {
        throw new AppError('rate_limited', `Too many realtime connections from this address (maxConnectionsPerIp ${options.maxConnectionsPerIp}).`);
      }
      const conn = new Connection({ id: newId(40 - idSuffix.length) + idSuffix, limits: options, onClose, ip, ...init });
      if (connections.size === 0) deps.onFirst();
      connections.set(conn.id, conn);
      if (ip !== undefined) {
        perIp.set(ip, fromIp + 1);
        ipOf.set(conn, ip);
      }
      return conn;
    },
    find: (id) => connections.get(id),
    get size() {
      return connections.size;
    },
    closedSlow: () => closedSlow,
    queuedMessages() {
      let n = 0;
      for (const conn of connections.values()) n += conn.queued;
      return n;
    },
    closeAll(code, reason) {
      for (const conn of [...connections.values()]) conn.close(code, reason);
    },
  };
}
