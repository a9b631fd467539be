/**
 * Serves the built admin dashboard (dashboard/dist, or config `dashboardDir`) at `/_/`: hashed
 * assets cached for a year, index.html never cached, any other path under `/_/` answered with
 * index.html (the app routes in the browser). Paths are resolved inside the directory only.
 */
import { readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { Hono } from 'hono';
import type { HearthEnv } from '../context.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** The dashboard loads nothing from elsewhere and may not be framed (clickjacking). */
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
};

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Hearth</title>
<p>The dashboard is not built. Run <code>npm run build -w dashboard</code> (or <code>npm start</code>, which builds it).</p>`;

function readInside(root: string, rel: string): Buffer | null {
  const path = normalize(join(root, rel));
  if (path !== root && !path.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  try {
    return statSync(path).isFile() ? readFileSync(path) : null;
  } catch {
    return null;
  }
}

export function dashboardRoutes(dir: string): Hono<HearthEnv> {
  const app = new Hono<HearthEnv>();
  const root = normalize(dir);
  app.get('/_', (c) => c.redirect('/_/', 301));
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
