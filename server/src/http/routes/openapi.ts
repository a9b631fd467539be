/** GET /api/openapi.json: the OpenAPI 3.1 document of the live collections and declared custom routes. */
import { Hono } from 'hono';
import type { CollectionRegistry } from '../../collections/registry.ts';
import type { Hooks } from '../../hooks/index.ts';
import { buildOpenApi } from '../../openapi/index.ts';
import type { HearthEnv } from '../context.ts';

export const API_VERSION = '0.1.0';

export function openapiRoutes(deps: { registry: CollectionRegistry; hooks: Hooks }): Hono<HearthEnv> {
  const app = new Hono<HearthEnv>();
  app.get('/api/openapi.json', (c) => {
    const routes = deps.hooks
      .current()
      .routes.filter((r) => r.options.openapi)
      .map((r) => ({ method: r.method, path: r.path.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\.\.\.\}/g, '{$1}'), operation: r.options.openapi! }));
    const doc = buildOpenApi({
      collections: deps.registry.all(),
      routes,
      superuser: c.get('auth')?.isSuperuser === true,
      serverUrl: new URL(c.req.url).origin,
      version: API_VERSION,
    });
    return c.json(doc);
  });
  return app;
}
