/**
 * `npm run build:binary` → dist/hearth-linux-x64: Node's single executable application. The
 * pinned Node 24 binary is the base; the CLI + server bundle (with its V8 code cache), the
 * better-sqlite3 addon and the dashboard's assets are injected as the SEA blob with postject.
 * At run time scripts/sea/ unpacks the addon and dashboard into a cache dir, named by hash.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import type { Plugin } from 'esbuild';
import { inject } from 'postject';
import { bundle, buildDashboard, DIST, ROOT } from './build.ts';
import type { SeaManifest } from './sea/manifest.ts';

export const BINARY = join(DIST, 'hearth-linux-x64');
const WORK = join(DIST, 'sea');
/** The fuse string Node's SEA support looks for in its own binary (Node docs). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

const sqliteLib = join(ROOT, 'node_modules', 'better-sqlite3', 'lib');
const sqliteAddon = join(ROOT, 'node_modules', 'better-sqlite3', 'prebuilds', `${process.platform}-${process.arch}.node`);

/** better-sqlite3 with its addon loader swapped for the embedded one (its own JS, unchanged). */
const embeddedSqlite: Plugin = {
  name: 'embedded-better-sqlite3',
  setup(b) {
    b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: 'better-sqlite3', namespace: 'embedded-sqlite' }));
    b.onLoad({ filter: /.*/, namespace: 'embedded-sqlite' }, () => ({
      resolveDir: ROOT,
      loader: 'js',
      contents: [
        `const { loadSqliteAddon } = require(${JSON.stringify(join(ROOT, 'scripts', 'sea', 'native-addon.ts'))});`,
        `module.exports = require(${JSON.stringify(join(sqliteLib, 'database.js'))})(loadSqliteAddon, false);`,
        `module.exports.SqliteError = require(${JSON.stringify(join(sqliteLib, 'sqlite-error.js'))});`,
      ].join('\n'),
    }));
  },
};

const sha = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex').slice(0, 16);

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const abs = join(dir, name);
    if (statSync(abs).isDirectory()) out.push(...listFiles(abs));
    else out.push(abs);
  }
  return out.sort();
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status})`);
}

export async function buildBinary(): Promise<{ file: string; bytes: number; dashboard: boolean }> {
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error('build:binary produces a linux-x64 executable; run it on linux-x64');
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const dashboard = buildDashboard();
  const main = join(WORK, 'hearth.cjs');
  await bundle({ entry: join(ROOT, 'scripts', 'sea', 'main.ts'), outfile: main, plugins: [embeddedSqlite] });

  const assets: Record<string, string> = { 'better_sqlite3.node': sqliteAddon };
  const manifest: SeaManifest = { addonHash: sha(readFileSync(sqliteAddon)), dashboardFiles: [] };
  if (dashboard) {
    const dir = join(ROOT, 'dashboard', 'dist');
    const hash = createHash('sha256');
    for (const abs of listFiles(dir)) {
      const rel = relative(dir, abs).split(sep).join('/');
      assets[`dashboard/${rel}`] = abs;
      manifest.dashboardFiles.push(rel);
      hash.update(rel).update(readFileSync(abs));
    }
    manifest.dashboardHash = hash.digest('hex').slice(0, 16);
  }
  const manifestFile = join(WORK, 'manifest.json');
  writeFileSync(manifestFile, JSON.stringify(manifest));
  assets['manifest.json'] = manifestFile;

  const blob = join(WORK, 'sea-prep.blob');
  const config = { main, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true, assets };
  writeFileSync(join(WORK, 'sea-config.json'), JSON.stringify(config, null, 2));
  // The blob must come from the same Node build it is injected into: the pinned one running us.
  run(process.execPath, ['--experimental-sea-config', join(WORK, 'sea-config.json')]);

  rmSync(BINARY, { force: true });
  copyFileSync(process.execPath, BINARY);
  chmodSync(BINARY, 0o755);
  // Symbols and debug info of Node's npm binary (≈ 18 MB) are never needed to run a server.
  if (spawnSync('strip', ['--version']).status === 0) spawnSync('strip', ['--strip-all', BINARY], { stdio: 'ignore' });
  await inject(BINARY, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SEA_FUSE });
  return { file: BINARY, bytes: statSync(BINARY).size, dashboard };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const { file, bytes, dashboard } = await buildBinary();
  process.stdout.write(`built ${file} (${(bytes / 1024 / 1024).toFixed(1)} MiB${dashboard ? ', with dashboard' : ', no dashboard build found'}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
