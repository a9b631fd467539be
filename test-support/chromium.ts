/**
 * The one Chromium launcher for every browser test in the repo (test-support/chromium.ts; find it
 * with `grep -r '@sparticuz/chromium'`). Uses $CHROMIUM_PATH, else the system `chromium` on PATH,
 * else the headless build that the npm package `@sparticuz/chromium` ships, so `npm ci && npm test`
 * needs no system browser. The packaged build is unpacked once into node_modules/.cache; parallel
 * test files each unpack into their own staging dir and the first atomic rename wins.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

/** Flags every test browser gets: no sandbox (CI runs as root), no GPU, no calls home. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

const CACHE_DIR = fileURLToPath(new URL('../node_modules/.cache/hearth-chromium/', import.meta.url));

function systemChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const path = execFileSync('which', [name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      if (path) return path;
    } catch {
      // not on PATH: try the next name, then the packaged build
    }
  }
  return undefined;
}

/** Unpacks @sparticuz/chromium's browser (binary, fonts, swiftshader) once; returns its directory. */
async function packagedChromium(): Promise<string> {
  // The package exports no ./package.json; its entry is build/cjs/index.cjs, two levels down.
  const entry = createRequire(import.meta.url).resolve('@sparticuz/chromium');
  const pkgJson = join(dirname(entry), '..', '..', 'package.json');
  const { version } = JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string };
  const finalDir = join(CACHE_DIR, version);
  if (existsSync(join(finalDir, 'chromium'))) return finalDir;

  // The package unpacks into os.tmpdir(), which reads $TMPDIR on every call: point it at a
  // private staging dir for the duration, then move the result into place in one rename.
  const staging = join(CACHE_DIR, `${version}.staging-${process.pid}`);
  mkdirSync(staging, { recursive: true });
  const savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = staging;
  try {
    const { default: Packaged } = await import('@sparticuz/chromium');
    await Packaged.executablePath();
  } finally {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
  }
  try {
    renameSync(staging, finalDir);
  } catch {
    // Another test process won the race; its copy is complete, ours is discarded.
    rmSync(staging, { recursive: true, force: true });
  }
  return finalDir;
}

/** The Chromium executable and the environment it needs (fonts for the packaged build). */
export async function resolveChromium(): Promise<{ executablePath: string; env?: Record<string, string> }> {
  const system = systemChromium();
  if (system) return { executablePath: system };
  const dir = await packagedChromium();
  // System fonts when the machine has them; otherwise the fonts bundled with the package.
  const env = existsSync('/usr/share/fonts') ? undefined : { FONTCONFIG_PATH: join(dir, 'fonts') };
  return { executablePath: join(dir, 'chromium'), ...(env ? { env: { ...(process.env as Record<string, string>), ...env } } : {}) };
}

/** Launches a headless Chromium for a test: `const browser = await launchChromium();`. */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const { executablePath, env } = await resolveChromium();
  return chromium.launch({
    ...options,
    executablePath,
    ...(env ? { env } : {}),
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
}
