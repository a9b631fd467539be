/**
 * Dashboard extensions, as PocketBase's UI extensions: every folder of the extensions dir
 * (`<data dir>/hearth_extensions/<name>/`) is one extension. `GET /_/extensions.js` joins their
 * `main.js` files (in name order, each wrapped in an async function so top-level `await` works and
 * their scopes stay apart), which the dashboard loads as a module after it starts;
 * `GET /_/extensions/{name}/{path...}` serves the extension's other files. Read from disk on every
 * request, so an edit shows on the next page load. Nothing is served while the dashboard is not built.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Hono } from 'hono';
import { notFound } from '../../shared/errors.ts';
import type { HearthEnv } from '../context.ts';
import { DASHBOARD_TYPES, SECURITY_HEADERS, readInside } from './dashboard-files.ts';

/** A symlink to a folder counts; a dangling one does not. */
function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Folder names in name order; a missing dir has none. */
function extensionNames(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() || (d.isSymbolicLink() && isFolder(join(dir, d.name))))
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}

/** The folder of extension `name`, or null when there is no such extension. */
function extensionDir(dir: string, name: string): string | null {
  if (!name || name === '.' || name === '..' || /[/\\\0]/.test(name)) return null;
  return extensionNames(dir).includes(name) ? join(dir, name) : null;
}

export function mountDashboardExtensions(app: Hono<HearthEnv>, dashboardDir: string, extensionsDir: string): void {
  const built = () => readInside(dashboardDir, 'index.html') !== null;
  app.get('/_/extensions.js', (c) => {
    if (!built()) throw notFound();
    let out = '';
    for (const name of extensionNames(extensionsDir)) {
      const main = readInside(join(extensionsDir, name), 'main.js');
      if (main) out += `await (async function(){${main.toString('utf8')}})();`;
    }
    return c.body(out, 200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'no-cache', ...SECURITY_HEADERS });
  });
  app.get('/_/extensions/*', (c) => {
    if (!built()) throw notFound();
    const rest = c.req.path.slice('/_/extensions/'.length);
    const cut = rest.indexOf('/');
    let name = '';
    let rel = '';
    try {
      name = decodeURIComponent(cut < 0 ? rest : rest.slice(0, cut));
      rel = cut < 0 ? '' : decodeURIComponent(rest.slice(cut + 1));
    } catch {
      throw notFound();
    }
    const dir = extensionDir(extensionsDir, name);
    const file = dir && rel && !rel.includes('\0') ? readInside(dir, rel) : null;
    if (!file) throw notFound();
    const type = DASHBOARD_TYPES[extname(rel)] ?? 'application/octet-stream';
    return c.body(new Uint8Array(file), 200, { 'Content-Type': type, 'Cache-Control': 'no-cache', ...SECURITY_HEADERS });
  });
}
