/**
 * Test servers for the dashboard's browser test: the dashboard built with Vite into a temp dir,
 * and a real Hearth over a temp data dir (no superuser yet) serving that build at `/_/`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type ConfigInput, type HearthServer } from '@hearth/server';
import { build } from 'vite';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface RunningHearth {
  url: string;
  server: HearthServer;
  close(): Promise<void>;
}

export async function startDashboardServer(config: ConfigInput = {}): Promise<RunningHearth> {
  const outDir = mkdtempSync(join(tmpdir(), 'hearth-dashboard-build-'));
  await build({ root: ROOT, configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const dir = mkdtempSync(join(tmpdir(), 'hearth-dashboard-'));
  const server = createServer({ dir, http: '127.0.0.1:0', logLevel: 'silent', dashboardDir: outDir, ...config });
  const { url } = await server.listen();
  return {
    url,
    server,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
