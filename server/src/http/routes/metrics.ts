/**
 * `GET /api/metrics`: Prometheus text format. Superusers, or a scraper presenting the configured
 * metrics token (`Authorization: Bearer TOKEN`, compared in constant time).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { Metrics } from '../../admin/metrics.ts';
import { forbidden, unauthorized } from '../../shared/errors.ts';
import type { HearthEnv } from '../context.ts';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

export function metricsRoutes(metrics: Metrics, token: string): Hono<HearthEnv> {
  const app = new Hono<HearthEnv>();
  const expected = token ? digest(token) : null;
  app.get('/api/metrics', async (c) => {
    const auth = c.get('auth');
    if (!auth?.isSuperuser) {
      const presented = (c.req.header('authorization') ?? '').replace(/^Bearer\s+/i, '').trim();
      const ok = expected !== null && presented !== '' && timingSafeEqual(digest(presented), expected);
      if (!ok) {
        if (!auth) throw unauthorized('The request requires valid superuser authorization token or the metrics token.');
        throw forbidden('The authorized record is not allowed to perform this action.');
      }
    }
    return c.body(await metrics.render(), 200, { 'content-type': metrics.contentType });
  });
  return app;
}
