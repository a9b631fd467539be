/**
 * Hearth's WebSocket protocol (SPEC §6), independent of the socket library: JSON text messages in,
 * JSON text messages out through the connection's bounded queue.
 *
 * client → auth {token} · subscribe {id, collection, recordId?, filter?, expand?, fields?, since?} ·
 *          unsubscribe {id} · listen {topic} (a custom topic such as `@oauth2`) · ping
 * server → ready {seq} · subscribed {id, seq} · change {id, seq, action, record} · resync {id} ·
 *          listening {topic, clientId} · message {topic, data} · error {id?, status, message} ·
 *          pong {seq}
 * Messages are handled in the order they arrive: where a token check is a promise (an async
 * engine), messages that arrive meanwhile wait for it.
 */
import { AppError, STATUS_BY_CODE, isAppError } from '../shared/errors.ts';
import { parseJsonBounded } from '../shared/json.ts';
import type { Connection } from './connection.ts';
import type { Hub } from './hub.ts';
import type { ChangeEncoder, Subscription } from './subscription.ts';
import { isCustomTopicName, MAX_CUSTOM_TOPICS } from './custom-topics.ts';

/** Client-chosen subscription ids are echoed in every change; keep them short. */
export const MAX_SUBSCRIPTION_ID_LENGTH = 128;

const STATUS = STATUS_BY_CODE;

const encodeChange: ChangeEncoder = (sub, action, seq, record) =>
  `{"type":"change","id":${JSON.stringify(sub.id)},"seq":${seq},"action":"${action}","record":${record}}`;

const invalid = (message: string) => new AppError('bad_request', message);

function optionalString(msg: Record<string, unknown>, key: string): string | undefined {
  const v = msg[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalid(`"${key}" must be a string.`);
  return v;
}

function subscriptionId(msg: Record<string, unknown>): string {
  const id = msg.id;
  if (typeof id !== 'string' || id === '' || id.length > MAX_SUBSCRIPTION_ID_LENGTH) {
    throw invalid(`"id" must be a non-empty string of at most ${MAX_SUBSCRIPTION_ID_LENGTH} characters.`);
  }
  return id;
}

function parseSince(msg: Record<string, unknown>): number | undefined {
  const v = msg.since;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw invalid('"since" must be a non-negative integer seq.');
  return v;
}

export interface WsSession {
  /** Sends `ready`; call once the socket is open. */
  start(): void;
  /** Handles one inbound text message. */
  handle(text: string): void;
}

export function createWsSession(hub: Hub, conn: Connection): WsSession {
  const send = (msg: Record<string, unknown>): void => conn.send(JSON.stringify(msg));
  const sendError = (err: unknown, id?: string): void => {
    const app = isAppError(err) ? err : new AppError('internal', 'Something went wrong.');
    send({ type: 'error', ...(id !== undefined ? { id } : {}), status: STATUS[app.code], message: app.message });
  };
  const onResync = (sub: Subscription): void => send({ type: 'resync', id: sub.id });
  const onError = (sub: Subscription, err: unknown): void => sendError(err, sub.id);

  function subscribe(msg: Record<string, unknown>): void {
    const id = subscriptionId(msg);
    try {
      const collection = optionalString(msg, 'collection');
      if (!collection) throw invalid('"collection" is required.');
      const { seq } = hub.add(
        conn,
        {
          id,
          collection,
          recordId: optionalString(msg, 'recordId'),
          filter: optionalString(msg, 'filter'),
          expand: optionalString(msg, 'expand'),
          fields: optionalString(msg, 'fields'),
        },
        { encode: encodeChange, since: parseSince(msg), onResync, onError, strict: true },
      );
      send({ type: 'subscribed', id, seq });
    } catch (err) {
      sendError(err, id);
    }
  }

  function dispatch(msg: Record<string, unknown>): void | Promise<void> {
    switch (msg.type) {
      case 'ping':
        return send({ type: 'pong', seq: hub.position(conn) });
      case 'auth': {
        if (typeof msg.token !== 'string' || msg.token === '') throw invalid('"token" must be a non-empty string.');
        const bound = hub.authenticate(conn, msg.token);
        if (bound instanceof Promise) return bound.then(() => send({ type: 'ready', seq: hub.latestSeq() }), (err: unknown) => sendError(err));
        return send({ type: 'ready', seq: hub.latestSeq() });
      }
      case 'subscribe':
        return subscribe(msg);
      case 'unsubscribe':
        hub.remove(conn, subscriptionId(msg));
        return;
      case 'listen': {
        if (!isCustomTopicName(msg.topic)) throw invalid('"topic" must be a custom topic name such as "@oauth2".');
        if (!conn.customTopics.has(msg.topic) && conn.customTopics.size >= MAX_CUSTOM_TOPICS) {
          throw invalid(`Too many custom topics (at most ${MAX_CUSTOM_TOPICS} per connection).`);
        }
        conn.customTopics.add(msg.topic);
        // The client id is what a message for this client names (`state` in the OAuth2 flow).
        return send({ type: 'listening', topic: msg.topic, clientId: conn.id });
      }
      default:
        throw invalid('Unknown message type.');
    }
  }

  function handleNow(text: string): void | Promise<void> {
    let msg: unknown;
    try {
      msg = parseJsonBounded(text, 'message');
    } catch (err) {
      return sendError(isAppError(err) ? err : invalid('Messages must be JSON.'));
    }
    if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return sendError(invalid('Messages must be JSON objects.'));
    try {
      return dispatch(msg as Record<string, unknown>);
    } catch (err) {
      sendError(err, typeof (msg as { id?: unknown }).id === 'string' ? ((msg as { id: string }).id) : undefined);
    }
  }

  /** Messages waiting for an async one before them (never rejects: handleNow reports its errors). */
  let waiting: Promise<void> | null = null;
  let outstanding = 0;
  const track = (p: Promise<void>): void => {
    outstanding += 1;
    waiting = p.finally(() => {
      outstanding -= 1;
      if (outstanding === 0) waiting = null;
    });
  };

  return {
    start: () => send({ type: 'ready', seq: hub.latestSeq() }),
    handle(text) {
      if (waiting) return track(waiting.then(() => handleNow(text)));
      const pending = handleNow(text);
      if (pending) track(pending);
    },
  };
}
