/**
 * PocketBase's SSE realtime endpoints: `GET /api/realtime` opens the event stream (a web
 * ReadableStream whose queued bytes are the transport buffer the connection's queue watches) and
 * `POST /api/realtime` sets a client's topics with the caller's auth. A plain (non-upgrade)
 * `GET /api/realtime/ws` is answered 426. Protocol details live in realtime/sse-protocol.ts.
 */
import { Hono } from 'hono';
import type { Realtime } from '../realtime/index.ts';
import type { HearthEnv } from './context.ts';
import { readBody } from './body.ts';
import { errorBody } from './errors.ts';

const encoder = new TextEncoder();

function ruleHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    if (key === 'authorization' || key === 'cookie') return;
    out[key.replaceAll('-', '_')] = value;
  });
  return out;
}

export function realtimeRoutes(realtime: Realtime): Hono<HearthEnv> {
  const app = new Hono<HearthEnv>();

  app.get('/api/realtime', (c) => {
    let heartbeat: ReturnType<typeof setInterval> | undefined;
    let opened: ReturnType<Realtime['openSse']> | undefined;
    const stream = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          opened = realtime.openSse({
            transport: {
              send(text) {
                try {
                  controller.enqueue(encoder.encode(text));
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
          });
          opened.session.start();
          // A comment line: keeps proxies from timing the stream out; clients ignore it.
          heartbeat = setInterval(() => opened?.conn.send(':\n\n'), realtime.options.heartbeatMs);
          heartbeat.unref();
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
    return new Response(stream, {
      headers: {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
      },
    });
  });

  app.post('/api/realtime', async (c) => {
    const body = await readBody(c);
    const token = c.req.header('authorization')?.replace(/^Bearer\s+/i, '').trim();
    const caller = token ? realtime.verify(token) : null;
    realtime.setSseTopics(body.clientId, body.subscriptions, caller);
    return c.body(null, 204);
  });

  app.get('/api/realtime/ws', (c) => c.json(errorBody(426, 'Upgrade to a WebSocket to use this endpoint.'), 426));

  return app;
}
