/**
 * Collection admin routes (superusers only): list, view, create, update, delete, import, truncate,
 * and the meta endpoints (scaffolds, OAuth2 provider types, view dry run).
 */
import { Hono } from 'hono';
import type { CollectionAdmin } from '../../admin/index.ts';
import { providerTypes } from '../../auth/index.ts';
import type { CollectionsService } from '../../collections/index.ts';
import { toWire } from '../../collections/index.ts';
import type { RecordsService } from '../../records/index.ts';
import { badRequest, isAppError } from '../../shared/errors.ts';
import { fixedSegment } from '../fixed-segment.ts';
import { readBody } from '../body.ts';
import { requestInfo, type HearthEnv } from '../context.ts';
import { requireSuperuser } from '../guards.ts';

export interface CollectionRouteDeps {
  collections: CollectionsService;
  admin: CollectionAdmin;
  records: RecordsService;
}

export function collectionRoutes({ collections, admin, records }: CollectionRouteDeps): Hono<HearthEnv> {
  const app = new Hono<HearthEnv>();
  // Guards sit on each handler rather than in path-scoped `app.use`, which would push Hono off
  // its RegExpRouter onto the slower trie router for every request.
  const su = requireSuperuser;

  app.get('/api/collections', su, async (c) => c.json(await admin.list(c.req.query())));

  // `meta/…` is served through the `:collection` parameter (see http/fixed-segment.ts).
  app.get('/api/collections/:collection/scaffolds', su, fixedSegment('collection', 'meta', '/api/collections/meta/scaffolds'), (c) => c.json(admin.scaffolds()));

  app.get('/api/collections/:collection/oauth2-providers', su, fixedSegment('collection', 'meta', '/api/collections/meta/oauth2-providers'), (c) =>
    // `<` escaped as in PocketBase's answer, so the SVGs inside can never be sniffed as markup.
    c.body(JSON.stringify(providerTypes()).replaceAll('<', '\\u003c'), 200, { 'content-type': 'application/json; charset=UTF-8' }),
  );

  app.post('/api/collections/:collection/dry-run-view', su, fixedSegment('collection', 'meta', '/api/collections/meta/dry-run-view'), async (c) =>
    c.json(await admin.dryRunView((await readBody(c)).query)),
  );

  app.post('/api/collections', su, async (c) => c.json(toWire(await collections.create(await readBody(c)))));

  app.put('/api/collections/import', su, async (c) => {
    const body = await readBody(c);
    if (!Array.isArray(body.collections)) {
      throw badRequest('Failed to import collections.', {
        collections: { code: 'validation_required', message: 'Missing required value.' },
      });
    }
    await collections.importCollections(body.collections, body.deleteMissing === true);
    return c.body(null, 204);
  });

  app.get('/api/collections/:collection', su, (c) => c.json(toWire(collections.get(c.req.param('collection')))));

  app.patch('/api/collections/:collection', su, async (c) =>
    c.json(toWire(await collections.update(c.req.param('collection'), await readBody(c)))),
  );

  app.delete('/api/collections/:collection', su, async (c) => {
    await collections.delete(c.req.param('collection'));
    return c.body(null, 204);
  });

  app.delete('/api/collections/:collection/truncate', su, async (c) => {
    const collection = collections.get(c.req.param('collection'));
    if (collection.type === 'view') throw badRequest('View collections have no records of their own to truncate.');
    try {
      await records.truncate(collection.id, requestInfo(c));
    } catch (err) {
      if (!isAppError(err) || err.code !== 'bad_request') throw err;
      // e.g. a record held by a required reference, or the last superuser: nothing was deleted
      throw badRequest(`Failed to truncate the collection: ${err.message}`);
    }
    return c.body(null, 204);
  });

  return app;
}
