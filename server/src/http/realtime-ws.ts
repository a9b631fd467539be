/**
 * The WebSocket transport of `GET /api/realtime/ws`: a `ws` server in noServer mode on the node
 * server's `upgrade` event. It binds each socket to a realtime connection and owns what is
 * socket-specific: the frame size limit (`maxPayload`, closes with 1009), ping frames as
 * heartbeats, the idle timeout, and the `ws.bufferedAmount` the connection's queue watches.
 * Protocol messages are handled by realtime/ws-protocol.ts.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ServerType } from '@hono/node-server';
import { CLOSE_AUTH_ENDED, type Connection, type Frame, type Realtime } from '../realtime/index.ts';
import { resolveClientIp } from '../auth/index.ts';
import { isAppError } from '../shared/errors.ts';

export const REALTIME_WS_PATH = '/api/realtime/ws';
/** Close code for a connection refused by a limit (RFC 6455 "policy violation"). */
export const CLOSE_LIMIT = 1008;
/** After a close frame, a peer that does not answer is cut off this much later. */
const CLOSE_GRACE_MS = 5_000;
/** On shutdown, sockets still open after this are terminated. */
const SHUTDOWN_GRACE_MS = 1_000;
/** Frames are JSON text even when handed over as bytes. */
const AS_TEXT = { binary: false } as const;

interface Peer {
  conn: Connection;
  lastSeen: number;
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (key === 'authorization' || key === 'cookie' || value === undefined) continue;
    out[key.replaceAll('-', '_')] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Starts serving WebSockets on `server` (`headers` are added to every upgrade response); returns a function that closes them all. */
export function attachRealtimeWebSocket(
  server: ServerType,
  realtime: Realtime,
  trustedProxies: string[] = [],
  headers: Record<string, string> = {},
): () => Promise<void> {
  const { options } = realtime;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxMessageBytes,
    // Compression would cost a zlib context (~300 KB at ws' defaults) per socket and a deflate per
    // message per socket, undoing shared frames; changes are small JSON, sent uncompressed.
    perMessageDeflate: false,
    // Sockets are tracked in `peers` below; ws' own set would be a second reference to each.
    clientTracking: false,
  });
  const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  if (extra.length) wss.on('headers', (lines) => lines.push(...extra));
  const peers = new Map<WebSocket, Peer>();

  function accept(ws: WebSocket, req: IncomingMessage, url: URL, token: string | null): void {
    // One callback per socket (not a closure per message): after each write, queued frames move on.
    const pump = (): void => peer.conn.pump();
    const transport = {
      // Shared frame bytes are written as they are (ws frames a Buffer without copying it).
      send: (frame: Frame) => (typeof frame === 'string' ? ws.send(frame, pump) : ws.send(frame, AS_TEXT, pump)),
      bufferedAmount: () => ws.bufferedAmount,
      // A fan-out corks the socket around its frames: they leave in one write (realtime/fanout.ts).
      cork: () => req.socket.cork(),
      uncork: () => req.socket.uncork(),
      close(code: number, reason: string) {
        ws.close(code, reason);
        setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
      },
    };
    const forwarded = req.headers['x-forwarded-for'];
    const ip = resolveClientIp(req.socket.remoteAddress, Array.isArray(forwarded) ? forwarded.join(',') : forwarded, trustedProxies);
    let opened: ReturnType<Realtime['openWs']>;
    try {
      opened = realtime.openWs({ transport, query: Object.fromEntries(url.searchParams), headers: headersOf(req), ip });
    } catch (err) {
      // Browsers cannot read the status of a refused upgrade, but they do see a close reason.
      ws.close(CLOSE_LIMIT, isAppError(err) ? err.message.slice(0, 120) : 'Refused.');
      return;
    }
    const { conn, session } = opened;
    const peer: Peer = { conn, lastSeen: Date.now() };
    peers.set(ws, peer);
    // On an async engine the header's token check is a promise: `ready` and the messages wait for it, in order.
    let gate: Promise<void> | null = null;
    let gated = 0;
    const hold = (p: Promise<void>): void => {
      gated += 1;
      gate = p.finally(() => {
        gated -= 1;
        if (gated === 0) gate = null;
      });
    };
    const inOrder = (fn: () => void): void => (gate ? hold(gate.then(fn)) : fn());
    if (token) {
      // Revoked since the upgrade check: the connection ends.
      const ended = (): void => conn.close(CLOSE_AUTH_ENDED, 'The auth token expired or was revoked.');
      try {
        const bound = realtime.hub.authenticate(conn, token);
        if (bound instanceof Promise) hold(bound.then(() => {}, ended));
      } catch {
        return ended();
      }
    }
    ws.on('message', (data, isBinary) => {
      peer.lastSeen = Date.now();
      if (isBinary) return conn.close(1003, 'Only JSON text messages are accepted.');
      const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data.toString('utf8');
      inOrder(() => session.handle(text));
    });
    ws.on('pong', () => {
      peer.lastSeen = Date.now();
    });
    ws.on('error', () => {
      // 'close' follows; oversized frames already closed the socket with 1009.
    });
    ws.on('close', (code) => {
      peers.delete(ws);
      conn.transportClosed(code);
    });
    inOrder(() => session.start());
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return rejectUpgrade(socket, 400, 'Bad Request');
    }
    if (url.pathname !== REALTIME_WS_PATH) return rejectUpgrade(socket, 404, 'Not Found');
    // Node clients may authenticate with the header; browsers send an `auth` message instead.
    const header = req.headers.authorization?.replace(/^Bearer\s+/i, '').trim() || null;
    const upgrade = (): void => wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req, url, header));
    const verified = header ? realtime.verify(header) : true;
    if (verified instanceof Promise) {
      verified.then((caller) => (caller ? upgrade() : rejectUpgrade(socket, 401, 'Unauthorized')), () => rejectUpgrade(socket, 500, 'Internal Server Error'));
      return;
    }
    if (!verified) return rejectUpgrade(socket, 401, 'Unauthorized');
    upgrade();
  }

  const heartbeat = setInterval(() => {
    const now = Date.now();
    for (const [ws, peer] of peers) {
      if (now - peer.lastSeen > options.idleTimeoutMs) peer.conn.close(1001, 'Idle timeout.');
      else if (ws.readyState === ws.OPEN) ws.ping();
    }
  }, options.heartbeatMs);
  heartbeat.unref();
  server.on('upgrade', onUpgrade);

  return async () => {
    clearInterval(heartbeat);
    server.off('upgrade', onUpgrade);
    const open = [...peers.keys()];
    await Promise.all(
      open.map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === ws.CLOSED) return resolve();
            const timer = setTimeout(() => {
              ws.terminate();
              resolve();
            }, SHUTDOWN_GRACE_MS);
            ws.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
            ws.close(1001, 'Server shutting down.');
          }),
      ),
    );
    wss.close();
  };
}
