/**
 * Loads `*.ts` / `*.js` hooks files of a directory (Node runs TypeScript by type stripping), in
 * name order, into a fresh HookRegistry. Each file default-exports `(hearth: HearthHooks) => void`.
 * Reloads import with a new `?v=` query so Node evaluates the changed file again (modules a hooks
 * file imports itself stay cached until restart).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HookContext } from './api.ts';
import { emptyRegistry, registryApi, type HookRegistry } from './registry.ts';

const HOOK_FILE = /^[^._][^/]*\.(ts|mts|js|mjs)$/;

export function hookFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => HOOK_FILE.test(f) && !f.endsWith('.d.ts') && !/\.test\.[mc]?[jt]s$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

let generation = 0;

/** Throws with the file name when a file fails to import or to register. */
export async function loadHooks(dir: string, app: HookContext): Promise<{ registry: HookRegistry; files: string[] }> {
  const registry = emptyRegistry();
  const api = registryApi(registry, app);
  const files = hookFiles(dir);
  const v = ++generation;
  for (const file of files) {
    try {
      const mod = (await import(`${pathToFileURL(file).href}?v=${v}`)) as { default?: unknown };
      if (typeof mod.default !== 'function') throw new Error('the file must `export default (hearth) => { … }`');
      await mod.default(api);
    } catch (err) {
      throw new Error(`hooks file ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
  return { registry, files };
}
