/**
 * PocketBase's realtime protocol over Server-Sent Events, as the `pocketbase` JS SDK speaks it:
 * the stream opens with `PB_CONNECT` (event id = clientId); `POST /api/realtime {clientId,
 * subscriptions}` replaces the client's topics — `COLLECTION/*`, `COLLECTION/RECORD_ID`, each
 * optionally `?options=<JSON {query:{filter,expand,fields,…}, headers:{…}}>` — and binds the
 * caller's auth to the client (a different caller later is refused with 403, as in PocketBase).
 * Events are named by the topic string exactly as subscribed and carry `{action, record}`.
 * Topics that name no collection are custom topics (PocketBase allows them): they fire only for
 * messages sent to this one client, such as `@oauth2` (custom-topics.ts).
 */
import { badRequest, forbidden } from '../shared/errors.ts';
import { parseJsonBounded } from '../shared/json.ts';
import { ANONYMOUS_CALLER, type Caller, type Connection } from './connection.ts';
import type { Hub } from './hub.ts';
import { MAX_TOPIC_LENGTH } from './options.ts';
import type { ChangeEncoder } from './subscription.ts';

export const sseFrame = (id: string, event: string, data: string): string => `id:${id}\nevent:${event}\ndata:${data}\n\n`;

const encodeChange: ChangeEncoder = (sub, action, _seq, record) =>
  sseFrame(sub.conn.id, sub.id, `{"action":"${action}","record":${record}}`);

interface Topic {
  topic: string;
  collection: string;
  recordId?: string;
  filter?: string;
  expand?: string;
  fields?: string;
  query: Record<string, string>;
  headers: Record<string, string>;
}

const asString = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : JSON.stringify(v));

function stringMap(value: unknown, normalizeKey: (k: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [k, v] of Object.entries(value)) out[normalizeKey(k)] = asString(v);
  return out;
}

/** Null for topics that are not `COLLECTION/*` or `COLLECTION/ID` (custom topics). */
export function parseTopic(topic: string): Topic | null {
  const q = topic.indexOf('?');
  const path = q < 0 ? topic : topic.slice(0, q);
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1 || path.indexOf('/', slash + 1) >= 0) return null;
  let options: { query?: unknown; headers?: unknown } = {};
  const raw = q < 0 ? null : new URLSearchParams(topic.slice(q + 1)).get('options');
  if (raw) {
    try {
      options = (parseJsonBounded(raw, 'subscription options') as typeof options) ?? {};
    } catch {
      throw badRequest(`Invalid subscription options in "${topic.slice(0, 100)}".`);
    }
  }
  const query = stringMap(options.query, (k) => k);
  const headers = stringMap(options.headers, (k) => k.toLowerCase().replaceAll('-', '_'));
  delete headers.authorization;
  delete headers.cookie;
  const rest = path.slice(slash + 1);
  return {
    topic,
    collection: path.slice(0, slash),
    recordId: rest === '*' ? undefined : rest,
    filter: query.filter || undefined,
    expand: query.expand || undefined,
    fields: query.fields || undefined,
    query,
    headers,
  };
}

function validTopics(value: unknown, max: number): string[] {
  if (!Array.isArray(value)) throw badRequest('Invalid "subscriptions": expected an array of topics.');
  const topics = [...new Set(value)];
  if (topics.length > max) throw badRequest(`Too many subscriptions (at most ${max}).`);
  for (const t of topics) {
    if (typeof t !== 'string' || t === '' || t.length > MAX_TOPIC_LENGTH || /[\r\n]/.test(t)) {
      throw badRequest(`Invalid subscription topic (a string of 1-${MAX_TOPIC_LENGTH} characters without line breaks).`);
    }
  }
  return topics as string[];
}

export interface SseSession {
  /** Sends `PB_CONNECT`. */
  start(): void;
  /** POST /api/realtime: binds the caller and replaces the topics. Throws 400/403 AppErrors. */
  setTopics(subscriptions: unknown, caller: Caller | null): void;
}

export function createSseSession(hub: Hub, conn: Connection, maxTopics: number): SseSession {
  function add(topics: Topic[]): void {
    for (const t of topics) {
      hub.add(
        conn,
        { id: t.topic, collection: t.collection, recordId: t.recordId, filter: t.filter, expand: t.expand, fields: t.fields, query: t.query, headers: t.headers },
        { encode: encodeChange },
      );
    }
  }

  return {
    start: () => conn.send(sseFrame(conn.id, 'PB_CONNECT', JSON.stringify({ clientId: conn.id }))),
    setTopics(subscriptions, caller) {
      const next = caller ?? ANONYMOUS_CALLER;
      if (conn.caller.auth && conn.caller.key !== next.key) {
        throw forbidden("The current and the previous request authorization don't match.");
      }
      const valid = validTopics(subscriptions, maxTopics);
      const topics = valid.map(parseTopic).filter((t): t is Topic => t !== null);
      if (next.auth) hub.setCaller(conn, next);
      const previous = [...conn.subs.values()].map((s) => s.id);
      const previousTopics = previous.map(parseTopic).filter((t): t is Topic => t !== null);
      for (const id of previous) hub.remove(conn, id);
      try {
        add(topics.filter((t) => hub.collectionExists(t.collection)));
      } catch (err) {
        for (const id of [...conn.subs.keys()]) hub.remove(conn, id);
        try {
          add(previousTopics.filter((t) => hub.collectionExists(t.collection)));
        } catch {
          // The old topics no longer compile either; the client is left without topics.
        }
        throw err;
      }
      conn.customTopics.clear();
      for (const t of valid) if (parseTopic(t) === null) conn.customTopics.add(t);
    },
  };
}
