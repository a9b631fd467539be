/**
 * Baseline (b): the same handlers as plain Hono routes on @hono/node-server — the framework floor.
 * Only what a typical Hono app writes: router params, c.req.query/json/header, c.json.
 */
import { Hono, type Context } from 'hono';
import { serve } from '@hono/node-server';
import { boot, onShutdown } from './boot.ts';
import type { Reply } from './handlers.ts';

const { port, handlers, close } = boot(process.argv.slice(2));

const send = (c: Context, reply: Reply): Response =>
  reply.body === null ? c.body(null, reply.status as 204) : c.json(reply.body, reply.status as 200);

const readJson = async (c: Context): Promise<unknown> => {
  try {
    return await c.req.json();
  } catch {
    return null;
  }
};

const app = new Hono();
app.get('/api/health', (c) => c.json({ status: 200, message: 'API is healthy.', data: {} }));
app.get('/api/collections/posts/records/:id', (c) => send(c, handlers.viewPost(c.req.param('id'))));
app.get('/api/collections/posts/records', (c) => send(c, handlers.listPosts((name) => c.req.query(name))));
app.post('/api/collections/messages/records', async (c) =>
  send(c, handlers.createMessage(c.req.header('authorization'), await readJson(c))),
);
app.patch('/api/collections/items/records/:id', async (c) =>
  send(c, handlers.updateItem(c.req.header('authorization'), c.req.param('id'), await readJson(c))),
);
app.delete('/api/collections/items/records/:id', (c) =>
  send(c, handlers.deleteItem(c.req.header('authorization'), c.req.param('id'))),
);

const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
onShutdown((done) => server.close(() => done()), close);
