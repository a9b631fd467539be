/**
 * Custom topics: names that are not a collection (`@oauth2`). A client listens on one (SSE: in its
 * `POST /api/realtime` topics; WebSocket: `listen {topic}`), and a message sent to that client id
 * reaches it once — the topic is dropped with the first delivery, as PocketBase does. A client that
 * opened its connection from one address receives nothing sent on behalf of another address.
 */
import { sseFrame } from './sse-protocol.ts';
import type { Connection } from './connection.ts';
import type { Hub } from './hub.ts';

/** WebSocket clients name custom topics `@…`, at most this long. */
export const MAX_CUSTOM_TOPIC_LENGTH = 64;
/** Custom topics one WebSocket connection may listen on at once. */
export const MAX_CUSTOM_TOPICS = 8;

/** `sent`, or why not: no such client listening on the topic, or the request came from another address. */
export type DeliveryResult = 'sent' | 'missing' | 'foreign';

export function isCustomTopicName(topic: unknown): topic is string {
  return typeof topic === 'string' && topic.length > 1 && topic.length <= MAX_CUSTOM_TOPIC_LENGTH && topic.startsWith('@') && !/[\s/?]/.test(topic);
}

function frame(conn: Connection, topic: string, data: unknown): string {
  return conn.protocol === 'sse' ? sseFrame(conn.id, topic, JSON.stringify(data)) : JSON.stringify({ type: 'message', topic, data });
}

/** Sends `data` once to client `clientId` on `topic`; `fromIp` is the address of the request behind it. */
export function deliverOnce(hub: Hub, clientId: string, topic: string, data: unknown, fromIp: string | undefined): DeliveryResult {
  const conn = hub.find(clientId);
  if (!conn || conn.closed || !conn.customTopics.has(topic)) return 'missing';
  conn.customTopics.delete(topic);
  if (conn.ip !== undefined && conn.ip !== fromIp) return 'foreign';
  conn.send(frame(conn, topic, data));
  return 'sent';
}
