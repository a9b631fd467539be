/** Cron jobs of the hooks files, as PocketBase: list them, or run one now (superusers only). */
import { Hono } from 'hono';
import type { CronScheduler } from '../../hooks/index.ts';
import { notFound } from '../../shared/errors.ts';
import type { HearthEnv } from '../context.ts';
import { requireSuperuser } from '../guards.ts';

export function cronRoutes(crons: CronScheduler): Hono<HearthEnv> {
  const app = new Hono<HearthEnv>();
  app.use('/api/crons', requireSuperuser);
  app.use('/api/crons/*', requireSuperuser);
  app.get('/api/crons', (c) => c.json(crons.list()));
  // Answers at once; the job runs in the background (its errors are logged).
  app.post('/api/crons/:id', (c) => {
    if (!crons.runNow(c.req.param('id'))) throw notFound('Missing or invalid cron job.');
    return c.body(null, 204);
  });
  return app;
}
