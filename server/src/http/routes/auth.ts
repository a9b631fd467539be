/** Auth routes of auth collections: auth-with-password, auth-refresh, auth-methods. */
import { Hono } from 'hono';
import type { PasswordAuth, SessionService } from '../../auth/index.ts';
import type { CollectionRegistry } from '../../collections/registry.ts';
import type { Collection } from '../../collections/model.ts';
import { serializeRecord } from '../../records/index.ts';
import { badRequest, notFound, unauthorized } from '../../shared/errors.ts';
import { readBody } from '../body.ts';
import { clientIp, requestInfo, type HearthEnv } from '../context.ts';

export interface AuthRouteDeps {
  registry: CollectionRegistry;
  passwordAuth: PasswordAuth;
  sessions: SessionService;
}

function authCollection(registry: CollectionRegistry, name: string): Collection {
  const collection = registry.get(name);
  if (collection.type !== 'auth') throw notFound('Missing or invalid auth collection context.');
  return collection;
}

function authResponse(collection: Collection, token: string, row: Record<string, unknown>) {
  const info = {
    auth: { collection, record: row, isSuperuser: collection.name === '_superusers' },
    method: 'POST',
    query: {},
    headers: {},
    body: {},
  };
  return { token, record: serializeRecord(collection, row, info) };
}

export function authRoutes(deps: AuthRouteDeps): Hono<HearthEnv> {
  const app = new Hono<HearthEnv>();
  const base = '/api/collections/:collection';

  app.post(`${base}/auth-with-password`, async (c) => {
    const collection = authCollection(deps.registry, c.req.param('collection'));
    const body = await readBody(c);
    const result = await deps.passwordAuth.authWithPassword(collection.id, body.identity, body.password, {
      ip: clientIp(c),
      userAgent: c.req.header('user-agent') ?? '',
    });
    return c.json(authResponse(result.collection, result.token, result.record));
  });

  app.post(`${base}/auth-refresh`, (c) => {
    const collection = authCollection(deps.registry, c.req.param('collection'));
    const auth = c.get('auth');
    if (!auth) throw unauthorized();
    if (auth.collection.id !== collection.id) throw badRequest('The token does not belong to this collection.');
    const header = c.req.header('authorization') ?? '';
    const token = header.replace(/^Bearer\s+/i, '').trim();
    const refreshed = deps.sessions.refresh(token);
    return c.json(authResponse(refreshed.collection, refreshed.token, refreshed.record));
  });

  app.get(`${base}/auth-methods`, (c) => {
    const collection = authCollection(deps.registry, c.req.param('collection'));
    void requestInfo(c);
    const pw = collection.auth?.passwordAuth ?? { enabled: true, identityFields: ['email'] };
    return c.json({
      password: { enabled: pw.enabled, identityFields: pw.identityFields },
      oauth2: { enabled: false, providers: [] },
      mfa: { enabled: false, duration: 0 },
      otp: { enabled: false, duration: 0 },
    });
  });

  return app;
}
