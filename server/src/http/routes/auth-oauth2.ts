/** `POST auth-with-oauth2 {provider, code, codeVerifier, redirectURL, createData?}` → `{token, record, meta}`. */
import { Hono } from 'hono';
import { readBody } from '../body.ts';
import type { HearthEnv } from '../context.ts';
import { authCollection, authRequest, respondOutcome, type AuthRouteDeps } from './auth-shared.ts';

export function authOAuth2Routes(deps: AuthRouteDeps): Hono<HearthEnv> {
  const app = new Hono<HearthEnv>();
  app.post('/api/collections/:collection/auth-with-oauth2', async (c) => {
    const collection = authCollection(deps.registry, c.req.param('collection'));
    const body = await readBody(c);
    const outcome = await deps.auth.oauth2.authWithOAuth2(collection, body, authRequest(c, deps, body));
    return respondOutcome(c, deps, outcome);
  });
  return app;
}
