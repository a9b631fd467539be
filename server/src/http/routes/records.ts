/** Record CRUD routes (PocketBase-compatible): parse → records service → JSON. */
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { SettingsStore } from '../../admin/index.ts';
import type { RecordsService } from '../../records/index.ts';
import type { Staging } from '../../files/index.ts';
import { forbidden } from '../../shared/errors.ts';
import type { Body } from '../body.ts';
import { bodyLimitMiddleware } from '../body-limit.ts';
import { readRecordBody, uploadsIn } from '../record-body.ts';
import type { UploadLimits } from '../upload-limits.ts';
import { requestInfo, type HearthEnv } from '../context.ts';

export interface RecordUploads {
  staging: Staging;
  limits: UploadLimits;
  /** Largest non-file form part (the JSON payload). */
  maxFieldSize: number;
}

export function recordRoutes(records: RecordsService, settings: SettingsStore, uploads: RecordUploads): Hono<HearthEnv> {
  const app = new Hono<HearthEnv>();
  const base = '/api/collections/:collection/records';
  /** Parses the body, runs `fn`, and removes the staged temp files whatever happened. */
  const withBody = async <T>(c: Context<HearthEnv>, collection: string | null, fn: (body: Body) => Promise<T>): Promise<T> => {
    const body = await readRecordBody(c, {
      staging: uploads.staging,
      capFor: (part) => uploads.limits.partCap(collection, part),
      maxFieldSize: uploads.maxFieldSize,
    });
    try {
      return await fn(body);
    } finally {
      await uploads.staging.discard(uploadsIn(body));
    }
  };

  app.get(base, async (c) => c.json(await records.listForClient(c.req.param('collection'), c.req.query(), requestInfo(c))));

  app.get(`${base}/:id`, async (c) =>
    c.json(await records.view(c.req.param('collection'), c.req.param('id'), c.req.query(), requestInfo(c))),
  );

  app.post(base, async (c) => {
    const name = c.req.param('collection');
    const record = await withBody(c, name, (body) => records.create(name, body, c.req.query(), requestInfo(c, body)));
    return c.json(record);
  });

  app.patch(`${base}/:id`, async (c) => {
    const name = c.req.param('collection');
    const record = await withBody(c, name, (body) => records.update(name, c.req.param('id'), body, c.req.query(), requestInfo(c, body)));
    return c.json(record);
  });

  app.delete(`${base}/:id`, async (c) => {
    await records.delete(c.req.param('collection'), c.req.param('id'), requestInfo(c));
    return c.body(null, 204);
  });

  // settings → batch: off (403), or a tighter body limit than the global one.
  app.use('/api/batch', async (c, next) => {
    const { enabled, maxRequests, maxBodySize } = settings.get().batch;
    if (!enabled || maxRequests <= 0) throw forbidden('Batch requests are not allowed.');
    return maxBodySize > 0 ? bodyLimitMiddleware(() => maxBodySize)(c, next) : next();
  });
  app.post('/api/batch', async (c) => {
    const { maxRequests, timeout } = settings.get().batch;
    const results = await withBody(c, null, (body) =>
      records.batch(mergeBatchFiles(body), requestInfo(c, body), { maxRequests, timeoutMs: timeout * 1000 }),
    );
    return c.json(results);
  });

  return app;
}

/** The PB SDK sends batch bodies as multipart: `@jsonPayload` holds `{requests}`, files come as `requests.N.field` (or `requests[N].field`). */
function mergeBatchFiles(body: Record<string, unknown>): unknown {
  const requests = body.requests;
  if (!Array.isArray(requests)) return requests;
  for (const [key, value] of Object.entries(body)) {
    // `requests.0.files` (the SDK's form) or `requests[0].files`, as PocketBase accepts both.
    const m = /^requests(?:\.(\d+)|\[(\d+)\])\.(.+)$/.exec(key);
    if (!m) continue;
    const req = requests[Number(m[1] ?? m[2])] as { body?: Record<string, unknown> } | undefined;
    if (req && typeof req === 'object') (req.body ??= {})[m[3]!] = value;
  }
  return requests;
}
