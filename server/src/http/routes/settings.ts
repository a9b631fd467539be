/** `GET/PATCH /api/settings` (superusers only): the runtime settings, secrets blanked. */
import { Hono } from 'hono';
import type { SettingsStore } from '../../admin/index.ts';
import { readBody } from '../body.ts';
import type { HearthEnv } from '../context.ts';
import { requireSuperuser } from '../guards.ts';

export function settingsRoutes(settings: SettingsStore): Hono<HearthEnv> {
  const app = new Hono<HearthEnv>();
  app.get('/api/settings', requireSuperuser, (c) => c.json(settings.toWire()));
  app.patch('/api/settings', requireSuperuser, async (c) => {
    settings.update(await readBody(c));
    return c.json(settings.toWire());
  });
  return app;
}
