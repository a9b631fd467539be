/**
 * First-run routes (see admin/install.ts):
 *   GET  /api/install → {needed}: whether the instance still has no superuser
 *   POST /api/install {email, password, passwordConfirm, token?} → 204, the first superuser
 * "Loopback" is the socket address, and only when no proxy header is present: a reverse proxy
 * on the same host would otherwise make every visitor look local. A browser request must come
 * from the server's own origin, so a web page open on this machine cannot install for its author.
 */
import { Hono } from 'hono';
import type { Installer } from '../../admin/index.ts';
import { normalizeIp } from '../../auth/index.ts';
import { forbidden } from '../../shared/errors.ts';
import { readBody } from '../body.ts';
import { clientIp, type HearthContext, type HearthEnv } from '../context.ts';

const PROXY_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

export function isLoopbackRequest(c: HearthContext): boolean {
  if (PROXY_HEADERS.some((h) => c.req.header(h) !== undefined)) return false;
  const ip = normalizeIp(clientIp(c));
  return ip === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip);
}

/** Browsers send Origin on every POST: it must name this server (tools send none). */
function sameOrigin(c: HearthContext): boolean {
  const origin = c.req.header('origin');
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === c.req.header('host');
  } catch {
    return false;
  }
}

export function installRoutes(installer: Installer): Hono<HearthEnv> {
  const app = new Hono<HearthEnv>();
  app.get('/api/install', async (c) => c.json({ needed: await installer.needed() }));
  app.post('/api/install', async (c) => {
    if (!sameOrigin(c)) throw forbidden('The first superuser can be created only from the dashboard of this server.');
    const body = await readBody(c);
    await installer.createFirstSuperuser(
      { email: body.email, password: body.password, passwordConfirm: body.passwordConfirm, token: body.token },
      isLoopbackRequest(c),
    );
    return c.body(null, 204);
  });
  return app;
}
