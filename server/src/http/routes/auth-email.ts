/**
 * Mailed-link routes (PocketBase-compatible): request/confirm verification, password reset and
 * email change. Every `request-*` answers 204 whether or not the address has an account.
 */
import { Hono } from 'hono';
import { forbidden, unauthorized } from '../../shared/errors.ts';
import { readBody } from '../body.ts';
import type { HearthContext, HearthEnv } from '../context.ts';
import { authCollection, callerMeta, requireOwnAuth, type AuthRouteDeps } from './auth-shared.ts';

export function authEmailRoutes(deps: AuthRouteDeps): Hono<HearthEnv> {
  const app = new Hono<HearthEnv>();
  const base = '/api/collections/:collection';
  const flows = deps.auth.emailFlows;

  const route = (path: string, handle: (c: HearthContext, body: Record<string, unknown>) => unknown) =>
    app.post(`${base}/${path}`, async (c) => {
      const body = await readBody(c);
      await handle(c, body);
      return c.body(null, 204);
    });
  const ctx = (c: HearthContext) => ({
    collection: authCollection(deps.registry, c.req.param('collection') ?? ''),
    meta: callerMeta(c, deps.trustedProxies),
  });

  route('request-verification', async (c, body) => {
    const { collection, meta } = ctx(c);
    await flows.requestVerification(collection, body.email, meta);
  });
  route('confirm-verification', (c, body) => {
    const { collection, meta } = ctx(c);
    return flows.confirmVerification(collection, body.token, meta);
  });
  route('request-password-reset', async (c, body) => {
    const { collection, meta } = ctx(c);
    await flows.requestPasswordReset(collection, body.email, meta);
  });
  route('confirm-password-reset', (c, body) => {
    const { collection, meta } = ctx(c);
    return flows.confirmPasswordReset(collection, body, meta);
  });
  route('request-email-change', async (c, body) => {
    // As PocketBase: no token is a 401 before anything else; another collection's token a 403.
    if (!c.get('auth')) throw unauthorized('The request requires valid auth record.');
    const { collection, meta } = ctx(c);
    if (c.get('auth')?.collection.id !== collection.id) throw forbidden('The authorized record is not allowed to perform this action.');
    const caller = requireOwnAuth(c, collection);
    await flows.requestEmailChange(collection, caller.record as { id: string }, body.newEmail, meta);
  });
  route('confirm-email-change', (c, body) => {
    const { collection, meta } = ctx(c);
    return flows.confirmEmailChange(collection, body, meta);
  });

  return app;
}
