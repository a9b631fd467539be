/**
 * CORS for the API. Headers are set with `c.header()` before the handler runs, which keeps the
 * response path free of the placeholder Response that a post-hoc `c.res.headers.set()` forces.
 */
import type { MiddlewareHandler } from 'hono';

const ALLOW_METHODS = 'GET,HEAD,PUT,POST,DELETE,PATCH';
/** Browsers may cache a preflight this long (seconds). */
const PREFLIGHT_MAX_AGE = '86400';

export function corsMiddleware(origins: string[]): MiddlewareHandler {
  const anyOrigin = origins.includes('*');
  const allowed = new Set(origins);
  return async (c, next) => {
    const origin = c.req.header('origin');
    const allow = anyOrigin ? '*' : origin !== undefined && allowed.has(origin) ? origin : null;
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      const headers: Record<string, string> = {
        'Access-Control-Allow-Methods': ALLOW_METHODS,
        'Access-Control-Max-Age': PREFLIGHT_MAX_AGE,
      };
      if (allow) headers['Access-Control-Allow-Origin'] = allow;
      const requested = c.req.header('access-control-request-headers');
      if (requested) headers['Access-Control-Allow-Headers'] = requested;
      if (!anyOrigin) headers.Vary = 'Origin';
      return c.body(null, 204, headers);
    }
    if (allow) c.header('Access-Control-Allow-Origin', allow);
    if (!anyOrigin) c.header('Vary', 'Origin');
    await next();
  };
}
