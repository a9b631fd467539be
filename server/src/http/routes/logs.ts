/** `GET /api/logs`, `/api/logs/stats`, `/api/logs/{id}` (superusers only), PocketBase's shapes. */
import { Hono } from 'hono';
import { listLogs, logsStats, viewLog, type LogStore } from '../../admin/logs/index.ts';
import type { HearthEnv } from '../context.ts';
import { requireSuperuser } from '../guards.ts';

export function logRoutes(logs: LogStore): Hono<HearthEnv> {
  const app = new Hono<HearthEnv>();
  // Reads see what was logged up to now, not what waits for the next batch.
  app.get('/api/logs', requireSuperuser, (c) => {
    logs.flush();
    return c.json(listLogs(logs.db, c.req.query()));
  });
  app.get('/api/logs/stats', requireSuperuser, (c) => {
    logs.flush();
    return c.json(logsStats(logs.db, c.req.query('filter')));
  });
  app.get('/api/logs/:id', requireSuperuser, (c) => {
    logs.flush();
    return c.json(viewLog(logs.db, c.req.param('id')));
  });
  return app;
}
