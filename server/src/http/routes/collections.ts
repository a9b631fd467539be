/** Collection admin routes (superusers only): list, view, create, update, delete, import, truncate. */
import { Hono } from 'hono';
import type { CollectionsService } from '../../collections/index.ts';
import { toWire } from '../../collections/index.ts';
import { badRequest } from '../../shared/errors.ts';
import { parsePaging } from '../../records/index.ts';
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
    const { page, perPage, skipTotal } = parsePaging(c.req.query());
    const all = collections.list();
    const items = all.slice((page - 1) * perPage, page * perPage).map(toWire);
    const totalItems = skipTotal ? -1 : all.length;
    const totalPages = skipTotal ? -1 : Math.ceil(all.length / perPage);
    return c.json({ page, perPage, totalItems, totalPages, items });
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
