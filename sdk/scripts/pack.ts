/**
 * Packs the publishable @hearth/sdk: builds dist/ with tsdown (ESM + CJS + .d.ts), writes
 * dist/package.json with the `exports` map of the built files (the workspace package.json keeps
 * pointing at src/ for the monorepo), and runs `npm pack` there.
 * Run: `npm run pack -w sdk [-- --out DIR]`; prints the tarball's path. Publish with `npm publish sdk/dist`.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const outFlag = process.argv.indexOf('--out');
const out = resolve(outFlag > 0 ? process.argv[outFlag + 1]! : root);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

execFileSync(process.execPath, [join(root, '../node_modules/tsdown/dist/run.mjs'), '--config', join(root, 'tsdown.config.ts')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });

const source = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
const published = {
  name: source.name,
  version: source.version,
  description: source.description,
  license: 'MIT',
  type: 'module',
  main: './index.cjs',
  module: './index.mjs',
  types: './index.d.cts',
  exports: {
    '.': {
      import: { types: './index.d.mts', default: './index.mjs' },
      require: { types: './index.d.cts', default: './index.cjs' },
    },
    './package.json': './package.json',
  },
  files: ['index.mjs', 'index.cjs', 'index.d.mts', 'index.d.cts', 'README.md'],
  sideEffects: false,
  peerDependencies: source.peerDependencies,
  peerDependenciesMeta: source.peerDependenciesMeta,
  engines: { node: '>=18' },
};
writeFileSync(join(dist, 'package.json'), JSON.stringify(published, null, 2) + '\n');
copyFileSync(join(root, 'README.md'), join(dist, 'README.md'));
mkdirSync(out, { recursive: true });
const name = execFileSync(npm, ['pack', '--silent', '--pack-destination', out], { cwd: dist, encoding: 'utf8' }).trim().split('\n').pop()!;
process.stdout.write(join(out, name) + '\n');
