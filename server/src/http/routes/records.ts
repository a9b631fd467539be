/** Record CRUD routes (PocketBase-compatible): parse → records service → JSON. */
import { Hono } from 'hono';
import type { SettingsStore } from '../../admin/index.ts';
import type { RecordsService } from '../../records/index.ts';
import { forbidden } from '../../shared/errors.ts';
import { readBody } from '../body.ts';
import { bodyLimitMiddleware } from '../body-limit.ts';
import { requestInfo, type HearthEnv } from '../context.ts';

export function recordRoutes(records: RecordsService, settings: SettingsStore): Hono<HearthEnv> {
  const app = new Hono<HearthEnv>();
  const base = '/api/collections/:collection/records';

  app.get(base, (c) => c.json(records.list(c.req.param('collection'), c.req.query(), requestInfo(c))));

  app.get(`${base}/:id`, (c) =>
    c.json(records.view(c.req.param('collection'), c.req.param('id'), c.req.query(), requestInfo(c))),
  );

  app.post(base, async (c) => {
    const body = await readBody(c);
    const record = await records.create(c.req.param('collection'), body, c.req.query(), requestInfo(c, body));
    return c.json(record);
  });

  app.patch(`${base}/:id`, async (c) => {
    const body = await readBody(c);
    const record = await records.update(c.req.param('collection'), c.req.param('id'), body, c.req.query(), requestInfo(c, body));
    return c.json(record);
  });

  app.delete(`${base}/:id`, (c) => {
    records.delete(c.req.param('collection'), c.req.param('id'), requestInfo(c));
    return c.body(null, 204);
  });

  // settings → batch: off (403), or a tighter body limit than the global one.
  app.use('/api/batch', async (c, next) => {
    const { enabled, maxRequests, maxBodySize } = settings.get().batch;
    if (!enabled || maxRequests <= 0) throw forbidden('Batch requests are not allowed.');
    return maxBodySize > 0 ? bodyLimitMiddleware(maxBodySize)(c, next) : next();
  });
  app.post('/api/batch', async (c) => {
    const body = await readBody(c);
    const requests = mergeBatchFiles(body);
    const { maxRequests, timeout } = settings.get().batch;
    return c.json(await records.batch(requests, requestInfo(c, body), { maxRequests, timeoutMs: timeout * 1000 }));
  });

  return app;
}

/** The PB SDK sends batch bodies as multipart: `@jsonPayload` holds `{requests}`, files come as `requests.N.field`. */
function mergeBatchFiles(body: Record<string, unknown>): unknown {
  const requests = body.requests;
  if (!Array.isArray(requests)) return requests;
  for (const [key, value] of Object.entries(body)) {
    const m = /^requests\.(\d+)\.(.+)$/.exec(key);
    if (!m) continue;
    const req = requests[Number(m[1])] as { body?: Record<string, unknown> } | undefined;
    if (req) (req.body ??= {})[m[2]!] = value;
  }
  return requests;
}
