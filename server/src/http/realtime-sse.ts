/**
 * PocketBase's SSE realtime endpoints: `GET /api/realtime` opens the event stream (a web
 * ReadableStream whose queued bytes are the transport buffer the connection's queue watches) and
 * `POST /api/realtime` sets a client's topics with the caller's auth. A plain (non-upgrade)
 * `GET /api/realtime/ws` is answered 426. Protocol details live in realtime/sse-protocol.ts.
 */
import { Hono } from 'hono';
import type { Realtime } from '../realtime/index.ts';
import { callerIp, type HearthEnv } from './context.ts';
import { readBody } from './body.ts';
import { errorBody } from './errors.ts';
import { AppError, fieldError } from '../shared/errors.ts';

const encoder = new TextEncoder();

function ruleHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    if (key === 'authorization' || key === 'cookie') return;
    out[key.replaceAll('-', '_')] = value;
  });
  return out;
}

export function realtimeRoutes(realtime: Realtime, trustedProxies: string[] = []): Hono<HearthEnv> {
  const app = new Hono<HearthEnv>();

  app.get('/api/realtime', (c) => {
    let heartbeat: ReturnType<typeof setInterval> | undefined;
    let opened: ReturnType<Realtime['openSse']> | undefined;
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const stream = new ReadableStream<Uint8Array>(
      {
        start(c) {
          controller = c;
        },
        pull() {
          opened?.conn.pump();
        },
        cancel() {
          clearInterval(heartbeat);
          opened?.conn.transportClosed(1001);
        },
      },
      // Zero high-water mark: desiredSize is minus the bytes the network has not taken yet.
      new ByteLengthQueuingStrategy({ highWaterMark: 0 }),
    );
    // Opened before the response exists, so a limit (maxConnectionsPerIp) answers a JSON 429.
    opened = realtime.openSse({
      transport: {
        send(frame) {
          try {
            controller.enqueue(typeof frame === 'string' ? encoder.encode(frame) : frame);
          } catch {
            opened?.conn.transportClosed(1006); // the stream was torn down under us
          }
        },
        bufferedAmount: () => Math.max(0, -(controller.desiredSize ?? 0)),
        close() {
          clearInterval(heartbeat);
          try {
            controller.close();
          } catch {
            // Already closed or cancelled.
          }
        },
      },
      query: c.req.query(),
      headers: ruleHeaders(c.req.raw.headers),
      ip: callerIp(c, trustedProxies),
    });
    opened.session.start();
    // A comment line: keeps proxies from timing the stream out; clients ignore it.
    heartbeat = setInterval(() => opened?.conn.send(':\n\n'), realtime.options.heartbeatMs);
    heartbeat.unref();
    // Through c.body, so the headers set before the handler (CORS) reach the stream's response:
    // an app on another origin opens it with EventSource.
    return c.body(stream, 200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    });
  });

  app.post('/api/realtime', async (c) => {
    const body = await readBody(c);
    validateSubscribeForm(body);
    const token = c.req.header('authorization')?.replace(/^Bearer\s+/i, '').trim();
    // The client's stream may be held by another worker: the owner applies it (client-calls.ts).
    await realtime.setSseTopicsAnywhere(body.clientId, body.subscriptions, token || null);
    return c.body(null, 204);
  });

  app.get('/api/realtime/ws', (c) => c.json(errorBody(426, 'Upgrade to a WebSocket to use this endpoint.'), 426));

  return app;
}

/** PocketBase's form limits for `POST /api/realtime`. */
const MAX_CLIENT_ID_LENGTH = 255;
const MAX_FORM_SUBSCRIPTIONS = 1000;
const MAX_TOPIC_LENGTH = 2500;

function validateSubscribeForm(body: Record<string, unknown>): void {
  const data: Record<string, unknown> = {};
  const { clientId, subscriptions } = body;
  if (typeof clientId !== 'string' || clientId === '') data.clientId = fieldError('validation_required', 'Cannot be blank.');
  else if (clientId.length > MAX_CLIENT_ID_LENGTH) data.clientId = fieldError('validation_length_out_of_range', `The length must be between 1 and ${MAX_CLIENT_ID_LENGTH}.`);
  if (subscriptions !== undefined && subscriptions !== null) {
    if (!Array.isArray(subscriptions)) data.subscriptions = fieldError('validation_invalid_value', 'Must be a list of topics.');
    else if (subscriptions.length > MAX_FORM_SUBSCRIPTIONS) data.subscriptions = fieldError('validation_length_too_long', `The maximum allowed items is ${MAX_FORM_SUBSCRIPTIONS}.`);
    else {
      const each: Record<string, unknown> = {};
      subscriptions.forEach((topic, i) => {
        if (typeof topic !== 'string') each[i] = fieldError('validation_invalid_value', 'Must be a string.');
        else if (topic.length > MAX_TOPIC_LENGTH) each[i] = fieldError('validation_length_too_long', `The maximum length is ${MAX_TOPIC_LENGTH}.`);
      });
      if (Object.keys(each).length > 0) data.subscriptions = each;
    }
  }
  if (Object.keys(data).length > 0) throw new AppError('validation', 'Failed to load the submitted data due to invalid formatting.', data);
}
