/**
 * `npm start` runs this first: builds the dashboard (dashboard/dist) when it is missing or older
 * than any of its sources or the SDK's, so a fresh clone serves `/_/` without a manual build.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILT = join(ROOT, 'dist', 'index.html');
const SOURCES = [join(ROOT, 'src'), join(ROOT, 'index.html'), join(ROOT, 'vite.config.ts'), join(ROOT, '..', 'sdk', 'src')];

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs);
}

const builtAt = existsSync(BUILT) ? statSync(BUILT).mtimeMs : 0;
const sourcesAt = Math.max(...SOURCES.filter(existsSync).map(newest));
if (builtAt < sourcesAt) {
  process.stdout.write(builtAt === 0 ? 'Building the dashboard…\n' : 'Dashboard sources changed: rebuilding…\n');
  await build({ root: ROOT, configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
}
