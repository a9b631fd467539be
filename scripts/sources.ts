/**
 * The fingerprint of everything a production build is made from: path, size and mtime of every
 * source file plus the lockfile. `npm start` rebuilds when it differs from dist/build-stamp.json.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCE_ROOTS = ['server/src', 'cli/src', 'cli/bin', 'sdk/src', 'dashboard/src', 'dashboard/index.html', 'dashboard/vite.config.ts', 'dashboard/package.json', 'package-lock.json'];
const SKIP = new Set(['node_modules', 'dist', 'test']);

export function sourceStamp(root: string): string {
  const hash = createHash('sha256');
  for (const rel of SOURCE_ROOTS) walk(join(root, rel), rel, hash);
  return hash.digest('hex');
}

function walk(abs: string, rel: string, hash: ReturnType<typeof createHash>): void {
  if (!existsSync(abs)) return;
  const st = statSync(abs);
  if (st.isDirectory()) {
    for (const name of readdirSync(abs).sort()) {
      if (SKIP.has(name) || name.endsWith('.test.ts')) continue;
      walk(join(abs, name), `${rel}/${name}`, hash);
    }
    return;
  }
  hash.update(`${rel}\0${st.size}\0${st.mtimeMs}\n`);
}
