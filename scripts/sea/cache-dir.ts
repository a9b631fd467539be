/**
 * Where the single executable unpacks what the OS must read from a file (the SQLite addon,
 * the dashboard's assets): HEARTH_CACHE_DIR, systemd's CACHE_DIRECTORY, $XDG_CACHE_HOME/hearth,
 * ~/.cache/hearth, or a per-user folder in the temp dir. Files are written under a content hash
 * with write-then-rename, so a crash never leaves a half-written addon that a later start loads.
 */
import { existsSync, lstatSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

function candidates(): string[] {
  const env = process.env;
  const list: string[] = [];
  if (env.HEARTH_CACHE_DIR) list.push(env.HEARTH_CACHE_DIR);
  if (env.CACHE_DIRECTORY) list.push(env.CACHE_DIRECTORY.split(':')[0]!);
  if (env.XDG_CACHE_HOME) list.push(join(env.XDG_CACHE_HOME, 'hearth'));
  try {
    const home = homedir();
    if (home && home !== '/') list.push(join(home, '.cache', 'hearth'));
  } catch {
    // no home directory (e.g. a systemd DynamicUser without CacheDirectory=)
  }
  list.push(join(tmpdir(), `hearth-${process.getuid?.() ?? 'user'}`));
  return list;
}

/** A shared temp dir could hold files planted by another user: use it only if it is ours. */
function usable(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    return st.isDirectory() && (process.getuid === undefined || st.uid === process.getuid());
  } catch {
    return false;
  }
}

let chosen: string | undefined;
export function cacheDir(): string {
  if (chosen) return chosen;
  for (const dir of candidates()) {
    if (usable(dir)) return (chosen = dir);
  }
  throw new Error('no writable cache directory for the embedded files; set HEARTH_CACHE_DIR');
}

/** Writes `bytes` to `file` unless it is already there (the name carries the content hash). */
export function materialize(file: string, bytes: Uint8Array): string {
  if (existsSync(file)) return file;
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes, { mode: 0o600 });
  renameSync(tmp, file);
  return file;
}
