/**
 * Unpacks the dashboard's assets from the executable into the cache dir (once per content
 * hash; a `.complete` marker is written last) and points the server at them through
 * HEARTH_DASHBOARD_DIR, unless the operator set that variable.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { getRawAsset } from 'node:sea';
import { join } from 'node:path';
import { cacheDir, materialize } from './cache-dir.ts';
import { manifest } from './manifest.ts';

function unpackDashboard(): void {
  const m = manifest();
  if (!m.dashboardHash || process.env.HEARTH_DASHBOARD_DIR) return;
  const root = join(cacheDir(), `dashboard-${m.dashboardHash}`);
  const marker = join(root, '.complete');
  if (!existsSync(marker)) {
    for (const rel of m.dashboardFiles) materialize(join(root, ...rel.split('/')), new Uint8Array(getRawAsset(`dashboard/${rel}`)));
    writeFileSync(marker, '');
  }
  process.env.HEARTH_DASHBOARD_DIR = root;
}

unpackDashboard();
