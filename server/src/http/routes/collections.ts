/** Collection admin routes (superusers only): list, view, create, update, delete, import, truncate. */
import { Hono } from 'hono';
import type { CollectionsService } from '../../collections/index.ts';
import { toWire } from '../../collections/index.ts';
import { badRequest } from '../../shared/errors.ts';
import { readBody } from '../body.ts';
import type { HearthEnv } from '../context.ts';
import { requireSuperuser } from '../guards.ts';

export function collectionRoutes(collections: CollectionsService): Hono<HearthEnv> {
  const app = new Hono<HearthEnv>();
  app.use('/api/collections', requireSuperuser);
  app.use('/api/collections/import', requireSuperuser);
  app.use('/api/collections/:collection', requireSuperuser);
  app.use('/api/collections/:collection/truncate', requireSuperuser);

  app.get('/api/collections', (c) => {
    const items = collections.list().map(toWire);
    const perPage = Math.max(items.length, 1);
    return c.json({ page: 1, perPage, totalItems: items.length, totalPages: 1, items });
  });

  app.post('/api/collections', async (c) => c.json(toWire(collections.create(await readBody(c)))));

  app.put('/api/collections/import', async (c) => {
    const body = await readBody(c);
    if (!Array.isArray(body.collections)) {
      throw badRequest('Failed to import collections.', {
        collections: { code: 'validation_required', message: 'Missing required value.' },
      });
    }
    collections.importCollections(body.collections, body.deleteMissing === true);
    return c.body(null, 204);
  });

  app.get('/api/collections/:collection', (c) => c.json(toWire(collections.get(c.req.param('collection')))));

  app.patch('/api/collections/:collection', async (c) =>
    c.json(toWire(collections.update(c.req.param('collection'), await readBody(c)))),
  );

  app.delete('/api/collections/:collection', (c) => {
    collections.delete(c.req.param('collection'));
    return c.body(null, 204);
  });

  app.delete('/api/collections/:collection/truncate', (c) => {
    collections.truncate(c.req.param('collection'));
    return c.body(null, 204);
  });

  return app;
}
