/**
 * One server per data dir: `hearth serve` holds an exclusive SQLite lock on `<dir>/serve.lock`
 * for its lifetime. The lock is a POSIX record lock owned by the process, so the kernel drops it
 * when the process dies in any way (kill -9, OOM, power loss): no stale lock files to clean up.
 * The pid beside it (`serve.pid`) only makes the refusal message name the running process.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export const LOCK_FILE = 'serve.lock';
const PID_FILE = 'serve.pid';

export class DataDirLockedError extends Error {}

/** Takes the data dir's lock or throws DataDirLockedError; the returned function releases it. */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const raw = new Database(join(dir, LOCK_FILE), { timeout: 0 });
  try {
    raw.pragma('locking_mode = EXCLUSIVE');
    raw.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    raw.close();
    if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new DataDirLockedError(`The data dir ${dir} is already in use by another hearth server${ownerOf(dir)}. Stop it first, or use another --dir.`);
    }
    throw err;
  }
  writeFileSync(join(dir, PID_FILE), `${process.pid}\n`);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    raw.close();
  };
}

function ownerOf(dir: string): string {
  try {
    const pid = Number(readFileSync(join(dir, PID_FILE), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? ` (pid ${pid})` : '';
  } catch {
    return '';
  }
}
