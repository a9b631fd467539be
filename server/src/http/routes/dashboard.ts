/**
 * Serves the built admin dashboard (dashboard/dist, or config `dashboardDir`) at `/_/`: hashed
 * assets cached for a year, index.html never cached, any other path under `/_/` answered with
 * index.html (the app routes in the browser). Paths are resolved inside the directory only.
 * Dashboard extensions are served under `/_/extensions…` (dashboard-extensions.ts).
 */
import { extname, normalize } from 'node:path';
import { Hono } from 'hono';
import type { HearthEnv } from '../context.ts';
import { DASHBOARD_TYPES as TYPES, SECURITY_HEADERS, readInside } from './dashboard-files.ts';
import { mountDashboardExtensions } from './dashboard-extensions.ts';

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Hearth</title>
<p>The dashboard is not built. Run <code>npm run build -w dashboard</code> (or <code>npm start</code>, which builds it).</p>`;


/** `extensionsDir`: the dashboard extensions (see dashboard-extensions.ts); absent: none are served. */
export function dashboardRoutes(dir: string, extensionsDir?: string): Hono<HearthEnv> {
  const app = new Hono<HearthEnv>();
  const root = normalize(dir);
  app.get('/_', (c) => c.redirect('/_/', 301));
  if (extensionsDir) mountDashboardExtensions(app, root, extensionsDir);
  app.get('/_/*', (c) => {
    let rel: string;
    try {
      rel = decodeURIComponent(c.req.path.slice('/_/'.length));
    } catch {
      rel = '';
    }
    const asset = rel && !rel.includes('\0') ? readInside(root, rel) : null;
    if (asset) {
      const type = TYPES[extname(rel)] ?? 'application/octet-stream';
      const cache = rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      return c.body(new Uint8Array(asset), 200, { 'Content-Type': type, 'Cache-Control': cache, ...SECURITY_HEADERS });
    }
    if (rel.startsWith('assets/')) return c.notFound();
    const index = readInside(root, 'index.html');
    const headers = { 'Content-Type': TYPES['.html']!, 'Cache-Control': 'no-cache', ...SECURITY_HEADERS };
    return index ? c.body(new Uint8Array(index), 200, headers) : c.body(NOT_BUILT, 503, headers);
  });
  return app;
}
