/**
 * Hearth's session management (not in PocketBase): the caller's own sessions, signing out one
 * device, and "sign out everywhere" (rotates the tokenKey: every token of the record dies).
 *   GET    /api/collections/{c}/auth-sessions          → [{id, created, expires, lastUsed, userAgent, ip, current}]
 *   DELETE /api/collections/{c}/auth-sessions/{id}     → 204 (404 if not one of the caller's)
 *   POST   /api/collections/{c}/auth-sign-out          → 204, ends the calling session
 *   POST   /api/collections/{c}/auth-sign-out-everywhere {recordId?} → 204; recordId: superusers only
 */
import { Hono } from 'hono';
import { forbidden, notFound, unauthorized } from '../../shared/errors.ts';
import { readBody } from '../body.ts';
import type { HearthEnv } from '../context.ts';
import { authCollection, callerMeta, requireOwnAuth, type AuthRouteDeps } from './auth-shared.ts';

export function authSessionRoutes(deps: AuthRouteDeps): Hono<HearthEnv> {
  const app = new Hono<HearthEnv>();
  const base = '/api/collections/:collection';
  const { auth, registry } = deps;

  app.get(`${base}/auth-sessions`, async (c) => {
    const collection = authCollection(registry, c.req.param('collection'));
    const caller = requireOwnAuth(c, collection);
    const list = await auth.listSessions(collection, String(caller.record.id), callerMeta(c, deps.trustedProxies));
    return c.json(list.map(({ collectionId: _c, recordId: _r, ...s }) => ({ ...s, current: s.id === caller.sessionId })));
  });

  app.delete(`${base}/auth-sessions/:id`, async (c) => {
    const collection = authCollection(registry, c.req.param('collection'));
    const caller = requireOwnAuth(c, collection);
    if (!(await auth.signOut(collection, String(caller.record.id), c.req.param('id'), callerMeta(c, deps.trustedProxies)))) throw notFound();
    return c.body(null, 204);
  });

  app.post(`${base}/auth-sign-out`, async (c) => {
    const collection = authCollection(registry, c.req.param('collection'));
    const caller = requireOwnAuth(c, collection);
    await auth.signOut(collection, String(caller.record.id), caller.sessionId, callerMeta(c, deps.trustedProxies));
    return c.body(null, 204);
  });

  app.post(`${base}/auth-sign-out-everywhere`, async (c) => {
    const collection = authCollection(registry, c.req.param('collection'));
    const body = await readBody(c);
    const caller = c.get('auth');
    if (!caller) throw unauthorized();
    let recordId = String(caller.record.id);
    if (typeof body.recordId === 'string' && body.recordId !== '' && !(caller.collection.id === collection.id && body.recordId === recordId)) {
      if (!caller.isSuperuser) throw forbidden('Only superusers can sign out other records.');
      recordId = body.recordId;
    } else if (caller.collection.id !== collection.id) {
      throw unauthorized('The request requires valid record authorization token.');
    }
    await auth.signOutEverywhere(collection, recordId, callerMeta(c, deps.trustedProxies));
    return c.body(null, 204);
  });

  return app;
}
