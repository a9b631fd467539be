/** The manifest build-binary.ts embeds: content hashes that name the unpacked files. */
import { getAsset } from 'node:sea';

export interface SeaManifest {
  addonHash: string;
  /** Hash of all dashboard files together; absent when the binary has no dashboard. */
  dashboardHash?: string;
  /** Dashboard file paths (relative, `/`-separated); each is the asset `dashboard/<path>`. */
  dashboardFiles: string[];
}

let cached: SeaManifest | undefined;
export function manifest(): SeaManifest {
  return (cached ??= JSON.parse(getAsset('manifest.json', 'utf8')) as SeaManifest);
}
