/**
 * `npm run build`: the production bundle. Builds the dashboard (when its package has a build
 * script), bundles the CLI and server into one CommonJS file with esbuild, and copies the
 * dashboard's assets beside it. `dist/hearth.cjs` needs only better-sqlite3 from node_modules;
 * the single executable (build-binary.ts) reuses bundle() with the addon embedded instead.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { sourceStamp } from './sources.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(ROOT, 'dist');
export const BUNDLE = join(DIST, 'hearth.cjs');
export const DASHBOARD_OUT = join(DIST, 'dashboard');
const STAMP = join(DIST, 'build-stamp.json');

/** ws loads these optional native speed-ups in a try/catch; they are not installed. */
const OPTIONAL_NATIVE = ['bufferutil', 'utf-8-validate'];
/** Native addons loaded on first use from node_modules; the executable has none, so there thumbs fall back to originals. */
const LAZY_NATIVE = ['sharp'];

export interface BundleOptions {
  entry: string;
  outfile: string;
  /** Extra esbuild plugins (the executable swaps better-sqlite3's loader). */
  plugins?: esbuild.Plugin[];
  /** Modules left to node_modules at run time. */
  external?: string[];
}

export async function bundle(options: BundleOptions): Promise<void> {
  await esbuild.build({
    entryPoints: [options.entry],
    outfile: options.outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
    external: [...OPTIONAL_NATIVE, ...LAZY_NATIVE, ...(options.external ?? [])],
    // Sources are ESM; in the CommonJS bundle import.meta.url becomes the bundle's own file URL.
    define: { 'import.meta.url': '__hearthModuleUrl' },
    banner: { js: 'const __hearthModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
    plugins: options.plugins ?? [],
  });
  asciiOnly(options.outfile);
}

/**
 * V8 keeps a script's source on the heap (lazy compilation reads it), as a one-byte string only
 * when every character is Latin-1: a single `—` in a comment esbuild kept made the whole 5 MB
 * bundle a two-byte string, 10 MB of heap in every process (a heap snapshot of a worker under
 * the realtime fan-out). esbuild already writes code as ASCII (its default charset escapes
 * strings, regexps and identifiers), so what is left is in comments; `\uXXXX` there is inert,
 * and anywhere else it would be the same character.
 */
function asciiOnly(file: string): void {
  const text = readFileSync(file, 'utf8');
  if (!/[^\x00-\x7f]/.test(text)) return;
  writeFileSync(file, text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** Runs the dashboard's own build when it has one; returns whether dashboard/dist exists. */
export function buildDashboard(): boolean {
  const pkgFile = join(ROOT, 'dashboard', 'package.json');
  if (!existsSync(pkgFile)) return false;
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { scripts?: Record<string, string> };
  if (pkg.scripts?.build) {
    const r = spawnSync('npm', ['run', 'build', '-w', 'dashboard'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('dashboard build failed');
  }
  return existsSync(join(ROOT, 'dashboard', 'dist', 'index.html'));
}

export async function buildAll(): Promise<{ dashboard: boolean }> {
  mkdirSync(DIST, { recursive: true });
  const dashboard = buildDashboard();
  await bundle({ entry: join(ROOT, 'scripts', 'bundle-entry.ts'), outfile: BUNDLE, external: ['better-sqlite3'] });
  rmSync(DASHBOARD_OUT, { recursive: true, force: true });
  if (dashboard) cpSync(join(ROOT, 'dashboard', 'dist'), DASHBOARD_OUT, { recursive: true });
  writeFileSync(STAMP, JSON.stringify({ sources: sourceStamp(ROOT), dashboard }, null, 2));
  return { dashboard };
}

/** True when dist/ was built from the sources as they are now. */
export function isFresh(): boolean {
  if (!existsSync(BUNDLE) || !existsSync(STAMP)) return false;
  try {
    return (JSON.parse(readFileSync(STAMP, 'utf8')) as { sources: string }).sources === sourceStamp(ROOT);
  } catch {
    return false;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const { dashboard } = await buildAll();
  process.stdout.write(`built ${BUNDLE}${dashboard ? ' + dist/dashboard' : ' (no dashboard build found)'} in ${Date.now() - started} ms\n`);
}
