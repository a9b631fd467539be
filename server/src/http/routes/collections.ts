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
  // Guards sit on each handler rather than in path-scoped `app.use`, which would push Hono off
  // its RegExpRouter onto the slower trie router for every request.
  const su = requireSuperuser;

  app.get('/api/collections', su, (c) => {
    const { page, perPage, skipTotal } = parsePaging(c.req.query());
    const all = collections.list();
    const items = all.slice((page - 1) * perPage, page * perPage).map(toWire);
    const totalItems = skipTotal ? -1 : all.length;
    const totalPages = skipTotal ? -1 : Math.ceil(all.length / perPage);
    return c.json({ page, perPage, totalItems, totalPages, items });
  });

  app.post('/api/collections', su, async (c) => c.json(toWire(collections.create(await readBody(c)))));

  app.put('/api/collections/import', su, async (c) => {
    const body = await readBody(c);
    if (!Array.isArray(body.collections)) {
      throw badRequest('Failed to import collections.', {
        collections: { code: 'validation_required', message: 'Missing required value.' },
      });
    }
    collections.importCollections(body.collections, body.deleteMissing === true);
    return c.body(null, 204);
  });

  app.get('/api/collections/:collection', su, (c) => c.json(toWire(collections.get(c.req.param('collection')))));

  app.patch('/api/collections/:collection', su, async (c) =>
    c.json(toWire(collections.update(c.req.param('collection'), await readBody(c)))),
  );

  app.delete('/api/collections/:collection', su, (c) => {
    collections.delete(c.req.param('collection'));
    return c.body(null, 204);
  });

  app.delete('/api/collections/:collection/truncate', su, (c) => {
    collections.truncate(c.req.param('collection'));
    return c.body(null, 204);
  });

  return app;
}
