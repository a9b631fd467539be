/**
 * Sign-in routes of auth collections (PocketBase 0.23+): auth-with-password, auth-refresh,
 * auth-methods, request-otp / auth-with-otp and superuser impersonation. Mailed-link flows live
 * in auth-email.ts, OAuth2 in auth-oauth2.ts, session management in auth-sessions.ts.
 */
import { Hono } from 'hono';
import { forbidden, unauthorized } from '../../shared/errors.ts';
import { readBody } from '../body.ts';
import { requestInfo, type HearthEnv } from '../context.ts';
import { authCollection, authRequest, authResponse, bearerToken, callerMeta, respondOutcome, type AuthRouteDeps } from './auth-shared.ts';

export type { AuthRouteDeps } from './auth-shared.ts';

export function authRoutes(deps: AuthRouteDeps): Hono<HearthEnv> {
  const app = new Hono<HearthEnv>();
  const base = '/api/collections/:collection';
  const { auth, registry } = deps;

  app.post(`${base}/auth-with-password`, async (c) => {
    const collection = authCollection(registry, c.req.param('collection'));
    const body = await readBody(c);
    const request = authRequest(c, deps, body);
    const { record } = await auth.passwordAuth.verifyCredentials(collection.id, body.identity, body.password, { ...request, identityField: body.identityField });
    return respondOutcome(c, deps, await auth.finish(collection, record, 'password', request));
  });

  app.post(`${base}/auth-refresh`, async (c) => {
    const caller = c.get('auth');
    if (!caller) throw unauthorized();
    // A token of another collection (superusers included) may not refresh here: 403, as PocketBase.
    const name = c.req.param('collection');
    if (caller.collection.name !== name && caller.collection.id !== name) throw forbidden('The request requires valid auth record of this collection.');
    const collection = authCollection(registry, name);
    const refreshed = await auth.refresh(collection, bearerToken(c), requestInfo(c), callerMeta(c, deps.trustedProxies));
    return c.json(await authResponse(c, deps, refreshed.collection, refreshed.token, refreshed.record));
  });

  app.get(`${base}/auth-methods`, async (c) => {
    const collection = authCollection(registry, c.req.param('collection'));
    return c.json(await auth.methods(collection, callerMeta(c, deps.trustedProxies)));
  });

  app.post(`${base}/request-otp`, async (c) => {
    const collection = authCollection(registry, c.req.param('collection'));
    const body = await readBody(c);
    return c.json(await auth.otp.request(collection, body.email, callerMeta(c, deps.trustedProxies)));
  });

  app.post(`${base}/auth-with-otp`, async (c) => {
    const collection = authCollection(registry, c.req.param('collection'));
    const body = await readBody(c);
    const request = authRequest(c, deps, body);
    const record = await auth.otp.verify(collection, body.otpId, body.password, request);
    return respondOutcome(c, deps, await auth.finish(collection, record, 'otp', request));
  });

  app.post(`${base}/impersonate/:id`, async (c) => {
    const collection = authCollection(registry, c.req.param('collection'));
    const body = await readBody(c);
    const result = await auth.impersonate(collection, c.req.param('id'), body.duration, requestInfo(c, body), callerMeta(c, deps.trustedProxies));
    return c.json(await authResponse(c, deps, collection, result.token, result.record));
  });

  return app;
}
