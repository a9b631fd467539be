/**
 * The published build of @hearth/sdk: ESM (`.mjs`) + CJS (`.cjs`) + bundled declarations, in
 * dist/. `npm run pack -w sdk` builds, writes dist/package.json and packs dist/ into a tarball.
 * Inside the monorepo the package still resolves to src/ (no build needed).
 */
import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  platform: 'neutral',
  target: 'es2022',
  outDir: 'dist',
  clean: true,
  fixedExtension: true,
  external: ['ws'],
});
