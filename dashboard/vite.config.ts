/**
 * Builds the dashboard into dashboard/dist with asset URLs under /_/ (where the server serves
 * it). Preact's automatic JSX runtime; no external URLs. The operations screens are a separate
 * chunk loaded on first use; with a single lazy chunk, Vite's modulepreload helper only adds
 * bytes, so it is off. `vite` (dev) proxies /api to a local server on :8090.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/_/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', reportCompressedSize: false, modulePreload: false },
  server: { proxy: { '/api': { target: 'http://127.0.0.1:8090', ws: true } } },
});
