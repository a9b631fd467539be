/**
 * `/api/oauth2-redirect`: where a provider sends the browser back in the all-in-one OAuth2 flow
 * (PocketBase's `authWithOAuth2({provider})`). The `state` is the realtime client id of the page
 * that started the flow; its `code` (or `error`) goes to that client on the `@oauth2` topic, and
 * the page then exchanges the code itself. GET carries the answer in the query; Apple posts a
 * form (`response_mode=form_post`) with the user's name in `user` on the first sign-in. The
 * browser ends on a small page that says whether to go back to the app (PocketBase redirects to
 * its admin UI's equivalents).
 */
import { Hono } from 'hono';
import type { Auth } from '../../auth/index.ts';
import type { Realtime } from '../../realtime/index.ts';
import { readBody } from '../body.ts';
import { callerIp, type HearthContext, type HearthEnv } from '../context.ts';

export const OAUTH2_TOPIC = '@oauth2';
const SUCCESS_PATH = '/api/oauth2-redirect-success';
const FAILURE_PATH = '/api/oauth2-redirect-failure';
/** Codes and states are short; longer values are not from a provider. */
const MAX_VALUE_LENGTH = 4096;

export interface OAuth2RedirectDeps {
  realtime: Realtime;
  auth: Auth;
  trustedProxies: string[];
}

interface RedirectData {
  state: string;
  code: string;
  error?: string;
}

const field = (v: unknown): string => (typeof v === 'string' && v.length <= MAX_VALUE_LENGTH ? v : '');

const page = (title: string, text: string): string =>
  `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
  `<title>${title}</title><body style="font-family:system-ui,sans-serif;text-align:center;padding:3rem 1rem">` +
  `<h1 style="font-size:1.25rem">${title}</h1><p>${text}</p></body></html>`;

const PAGE_HEADERS = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'", 'x-frame-options': 'DENY' };

export function oauth2RedirectRoutes(deps: OAuth2RedirectDeps): Hono<HearthEnv> {
  const app = new Hono<HearthEnv>();

  async function handle(c: HearthContext): Promise<Response> {
    // A form post answers 303 (the page is then fetched with GET), a GET 307, as PocketBase does.
    const go = (path: string) => c.redirect(path, c.req.method === 'GET' ? 307 : 303);
    let input: Record<string, unknown>;
    try {
      input = c.req.method === 'GET' ? c.req.query() : await readBody(c);
    } catch {
      return go(FAILURE_PATH);
    }
    const data: RedirectData = { state: field(input.state), code: field(input.code) };
    const error = field(input.error);
    if (error) data.error = error;
    if (!data.state) return go(FAILURE_PATH);
    const ip = callerIp(c, deps.trustedProxies);
    const user = field(input.user);
    // Kept before the message goes out: the page exchanges the code as soon as it hears of it.
    if (user && !error && data.code) await deps.auth.oauth2.appleNames.remember(data.code, user);
    const delivered = await deps.realtime.deliverOnceAnywhere(data.state, OAUTH2_TOPIC, data, ip);
    if (delivered !== 'sent' || error || !data.code) return go(FAILURE_PATH);
    return go(SUCCESS_PATH);
  }

  app.get('/api/oauth2-redirect', handle);
  app.post('/api/oauth2-redirect', handle);
  app.get(SUCCESS_PATH, (c) => c.body(page('Signed in', 'You can close this window and go back to the app.'), 200, PAGE_HEADERS));
  app.get(FAILURE_PATH, (c) => c.body(page('Sign-in failed', 'You can close this window and go back to the app to try again.'), 200, PAGE_HEADERS));
  return app;
}
