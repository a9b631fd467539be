/**
 * better-sqlite3's native addon inside the single executable: the `.node` file travels as a
 * SEA asset; it is written once to the cache dir (named by its hash) and loaded with
 * process.dlopen, since the OS loader can only map an addon from a file.
 */
import { getRawAsset } from 'node:sea';
import { join } from 'node:path';
import { cacheDir, materialize } from './cache-dir.ts';
import { manifest } from './manifest.ts';

let addon: unknown;
export function loadSqliteAddon(): unknown {
  if (addon) return addon;
  const file = materialize(join(cacheDir(), `better_sqlite3-${manifest().addonHash}.node`), new Uint8Array(getRawAsset('better_sqlite3.node')));
  const mod = { exports: {} as unknown };
  process.dlopen(mod, file);
  return (addon = mod.exports);
}
