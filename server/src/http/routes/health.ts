/**
 * GET /api/health — liveness for load balancers and the CLI, in PocketBase's shape
 * (`{message, code, data}`, plus `status` as every other Hearth answer). Superusers also get
 * `canBackup`, their address as the server sees it, and the proxy header the request carried.
 */
import { Hono } from 'hono';
import { callerIp, type HearthEnv } from '../context.ts';

export interface HealthDeps {
  /** Whether no backup or restore is running. */
  canBackup: () => boolean;
  trustedProxies: string[];
}

/** Headers that usually mean a reverse proxy sits in front (the dashboard warns about it). */
const PROXY_HEADERS = ['cf-connecting-ip', 'fly-client-ip', 'x-forwarded-for', 'x-real-ip'];

export function healthRoutes(deps: HealthDeps): Hono<HearthEnv> {
  const app = new Hono<HearthEnv>();
  app.get('/api/health', (c) => {
    const body = { message: 'API is healthy.', code: 200, status: 200, data: {} as Record<string, unknown> };
    if (c.get('auth')?.isSuperuser) {
      body.data = {
        canBackup: deps.canBackup(),
        realIP: callerIp(c, deps.trustedProxies),
        possibleProxyHeader: PROXY_HEADERS.find((h) => c.req.header(h) !== undefined) ?? '',
      };
    }
    return c.json(body);
  });
  return app;
}
