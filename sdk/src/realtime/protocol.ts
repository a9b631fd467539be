/** Hearth's WebSocket protocol (SPEC §6): the JSON frames both sides send, and a tolerant parser. */

export type ChangeAction = 'create' | 'update' | 'delete';

/** What a subscription asks the server for (all optional but the collection). */
export interface SubscribeQuery {
  /** Only this record. */
  recordId?: string;
  /** A filter expression (use the `filter` helper for values). */
  filter?: string;
  /** Relations to expand in delivered records. */
  expand?: string;
  /** Fields of delivered records (`'id,title'`). */
  fields?: string;
}

export type ClientMessage =
  | { type: 'auth'; token: string }
  | ({ type: 'subscribe'; id: string; collection: string; since?: number } & SubscribeQuery)
  | { type: 'unsubscribe'; id: string }
  | { type: 'ping' };

export type ServerMessage =
  | { type: 'ready'; seq: number }
  | { type: 'subscribed'; id: string; seq: number }
  | { type: 'change'; id: string; seq: number; action: ChangeAction; record: Record<string, unknown> }
  | { type: 'resync'; id: string }
  | { type: 'error'; id?: string; status: number; message: string }
  | { type: 'pong' };

const TYPES = new Set(['ready', 'subscribed', 'change', 'resync', 'error', 'pong']);

/** Parses a text frame; anything that is not a known message yields null (and is ignored). */
export function parseServerMessage(data: unknown): ServerMessage | null {
  if (typeof data !== 'string') return null;
  try {
    const msg = JSON.parse(data) as { type?: unknown };
    return msg && typeof msg === 'object' && typeof msg.type === 'string' && TYPES.has(msg.type) ? (msg as ServerMessage) : null;
  } catch {
    return null;
  }
}

/** `http(s)://host/base` → `ws(s)://host/base/api/realtime/ws` (relative bases resolve against the page). */
export function realtimeUrl(baseUrl: string): string {
  const origin = (globalThis as { location?: { href: string } }).location?.href;
  const url = new URL(baseUrl.replace(/\/+$/, '') + '/api/realtime/ws', origin);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}
