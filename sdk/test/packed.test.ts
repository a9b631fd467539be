/**
 * The published package: `npm pack` output (built by scripts/pack.ts) installed into a fresh
 * project outside the monorepo and used from Node ESM, Node CJS, TypeScript (tsc, strict,
 * nodenext) and a Vite browser build — against a real server.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHearth, type TestHearth } from './harness.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const NODE = process.execPath;
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let h: TestHearth;
let work: string;
let app: string;

// Async: the server under test runs in this process, so a blocking spawn would stall it.
const run = promisify(execFile);
const node = async (file: string) => (await run(NODE, [file, h.url], { cwd: app, encoding: 'utf8' })).stdout.trim();

beforeAll(async () => {
  h = await startHearth();
  await h.admin.send('/api/collections', { method: 'POST', body: { name: 'memos', fields: [{ name: 'text', type: 'text' }], listRule: '', viewRule: '' } });
  await h.admin.send('/api/collections/memos/records', { method: 'POST', body: { text: 'hello from the server' } });
  work = mkdtempSync(join(tmpdir(), 'hearth-pack-'));
  const tarball = execFileSync(NODE, [join(ROOT, 'sdk/scripts/pack.ts'), '--out', work], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!;
  app = join(work, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'outside-app', private: true, version: '1.0.0' }));
  execFileSync(NPM, ['install', tarball, '--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline'], { cwd: app, stdio: 'ignore' });
}, 180_000);

afterAll(async () => {
  await h?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed @hearth/sdk', () => {
  it('installs built files only (no TypeScript sources)', () => {
    const files = readdirSync(join(app, 'node_modules/@hearth/sdk')).sort();
    expect(files).toEqual(['README.md', 'index.cjs', 'index.d.cts', 'index.d.mts', 'index.mjs', 'package.json']);
  });

  it('works from Node ESM', async () => {
    writeFileSync(
      join(app, 'esm.mjs'),
      `import { createClient } from '@hearth/sdk';
const page = await createClient(process.argv[2]).collection('memos').list();
console.log(JSON.stringify(page.items.map((n) => n.text)));\n`,
    );
    expect(JSON.parse(await node('esm.mjs'))).toEqual(['hello from the server']);
  });

  it('works from Node CJS, errors included', async () => {
    writeFileSync(
      join(app, 'cjs.cjs'),
      `const { createClient, isHearthError } = require('@hearth/sdk');
createClient(process.argv[2]).collection('memos').get('missing0000000')
  .then(() => console.log('found?'), (err) => console.log(isHearthError(err) ? 'HearthError ' + err.status : 'other'));\n`,
    );
    expect(await node('cjs.cjs')).toBe('HearthError 404');
  });

  it('type-checks from TypeScript (strict, nodenext) and runs', { timeout: 60_000 }, async () => {
    writeFileSync(
      join(app, 'main.ts'),
      `import { createClient, type HearthClient } from '@hearth/sdk';
declare const process: { argv: string[] };
const client: HearthClient = createClient(process.argv[2]!);
const page = await client.collection('memos').list({ perPage: 5 });
const total: number = page.totalItems;
export function misuse() {
  // @ts-expect-error the URL must be a string
  createClient(42);
}
console.log(total);\n`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, skipLibCheck: false, types: [], lib: ['es2022', 'dom'] }, files: ['main.ts'] }),
    );
    writeFileSync(join(app, 'package.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')), type: 'module' }));
    const tsc = await run(NODE, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' }).catch((e: { stdout: string }) => e);
    expect(tsc.stdout).toBe('');
    expect(Number(await node('main.ts'))).toBe(1);
  });

  it('bundles into a Vite browser build', async () => {
    writeFileSync(join(app, 'index.html'), '<!doctype html><script type="module" src="./web.js"></script>\n');
    writeFileSync(join(app, 'web.js'), `import { createClient, filter } from '@hearth/sdk';\nwindow.hearth = createClient('/'); window.f = filter('a = {:a}', { a: 1 });\n`);
    const { build } = await import('vite');
    await build({ root: app, logLevel: 'silent', configFile: false, build: { outDir: join(app, 'web-dist') } });
    const assets = readdirSync(join(app, 'web-dist/assets'));
    const js = assets.find((f) => f.endsWith('.js'))!;
    expect(existsSync(join(app, 'web-dist/index.html'))).toBe(true);
    expect(readFileSync(join(app, 'web-dist/assets', js), 'utf8')).toContain('/api/collections/');
  }, 60_000);
});
