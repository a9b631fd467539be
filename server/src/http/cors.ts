/**
 * CORS for the API. Headers are set on Node's response before the handler runs (see
 * setResponseHeader), which keeps the response path free of the placeholder Response that a
 * post-hoc `c.res.headers.set()` forces and of a Headers object per response.
 */
import type { MiddlewareHandler } from 'hono';
import { setResponseHeader } from './context.ts';

const ALLOW_METHODS = 'GET,HEAD,PUT,POST,DELETE,PATCH';
/** Browsers may cache a preflight this long (seconds). */
const PREFLIGHT_MAX_AGE = '86400';

/** Who may read responses: the `Access-Control-Allow-Origin` for a request's Origin, and whether it varies. */
export interface CorsPolicy {
  allowFor(origin: string | undefined): string | null;
  /** True when the answer depends on the Origin (`Vary: Origin`). */
  readonly varies: boolean;
}

export function corsPolicy(origins: string[]): CorsPolicy {
  const anyOrigin = origins.includes('*');
  const allowed = new Set(origins);
  return {
    allowFor: (origin) => (anyOrigin ? '*' : origin !== undefined && allowed.has(origin) ? origin : null),
    varies: !anyOrigin,
  };
}

export function corsMiddleware(policy: CorsPolicy): MiddlewareHandler {
  return async (c, next) => {
    const allow = policy.allowFor(c.req.header('origin'));
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      const headers: Record<string, string> = {
        'Access-Control-Allow-Methods': ALLOW_METHODS,
        'Access-Control-Max-Age': PREFLIGHT_MAX_AGE,
      };
      if (allow) headers['Access-Control-Allow-Origin'] = allow;
      const requested = c.req.header('access-control-request-headers');
      if (requested) headers['Access-Control-Allow-Headers'] = requested;
      if (policy.varies) headers.Vary = 'Origin';
      return c.body(null, 204, headers);
    }
    if (allow) setResponseHeader(c, 'Access-Control-Allow-Origin', allow);
    if (policy.varies) setResponseHeader(c, 'Vary', 'Origin');
    await next();
  };
}
