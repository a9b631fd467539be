/**
 * Browser bundle size: bundles src/index.ts with esbuild (minified, ESM, browser platform, `ws`
 * external — browsers use their own WebSocket) and prints the minified and gzipped byte counts.
 * Run: `npm run size -w sdk`. Exits non-zero past the 15 kB min+gzip budget.
 */
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

/** The budget from issue 6: a browser client should cost less than 15 kB on the wire. */
const BUDGET_GZIP_BYTES = 15 * 1024;

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const result = await build({
  entryPoints: [entry],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  external: ['ws'],
  write: false,
  logLevel: 'warning',
});
const code = result.outputFiles[0]!.contents;
const gzip = gzipSync(code, { level: 9 }).length;
process.stdout.write(`@hearth/sdk browser bundle: ${code.length} bytes minified, ${gzip} bytes min+gzip (budget ${BUDGET_GZIP_BYTES})\n`);
if (gzip > BUDGET_GZIP_BYTES) {
  process.stderr.write('over budget\n');
  process.exitCode = 1;
}
