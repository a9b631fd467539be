/** `GET /api/logs`, `/api/logs/stats`, `/api/logs/{id}` (superusers only), PocketBase's shapes. */
import { Hono } from 'hono';
import { listLogs, logsStats, viewLog, type LogStore } from '../../admin/logs/index.ts';
import type { HearthEnv } from '../context.ts';
import { requireSuperuser } from '../guards.ts';
import { isFixedSegment } from '../fixed-segment.ts';

export function logRoutes(logs: LogStore): Hono<HearthEnv> {
  const app = new Hono<HearthEnv>();
  // Reads see what was logged up to now, not what waits for the next batch.
  app.get('/api/logs', requireSuperuser, (c) => {
    logs.flush();
    return c.json(listLogs(logs.db, c.req.query()));
  });
  // One `:id` route serves `stats` too: a static sibling of a parameter makes Hono's RegExpRouter
  // refuse the route set, and the whole app falls back to the slower trie router.
  app.get('/api/logs/:id', requireSuperuser, (c) => {
    logs.flush();
    const id = c.req.param('id');
    if (isFixedSegment(c, 'id', 'stats', '/api/logs/stats')) return c.json(logsStats(logs.db, c.req.query('filter')));
    return c.json(viewLog(logs.db, id));
  });
  return app;
}
