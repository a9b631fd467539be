/** GET /api/health — liveness for load balancers and the CLI. */
import { Hono } from 'hono';
import type { HearthEnv } from '../context.ts';

export function healthRoutes(): Hono<HearthEnv> {
  const app = new Hono<HearthEnv>();
  app.get('/api/health', (c) => c.json({ status: 200, message: 'API is healthy.', data: {} }));
  return app;
}
