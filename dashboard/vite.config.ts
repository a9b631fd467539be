/**
 * Builds the dashboard into dashboard/dist with asset URLs under /_/ (where the server serves
 * it). Preact's automatic JSX runtime; no external URLs. `vite` (dev) proxies /api to a local
 * server on :8090.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/_/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
  server: { proxy: { '/api': { target: 'http://127.0.0.1:8090', ws: true } } },
});
