/**
 * Where backup archives live. The default store is the data dir's `backups/` folder; a remote
 * store (S3) implements the same interface. Keys are plain file names (see backup-names.ts).
 */
import { createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { formatDate } from '../shared/clock.ts';

export interface BackupObject {
  key: string;
  size: number;
  /** Last modification, PocketBase's date format. */
  modified: string;
}

export interface BackupStore {
  list(): Promise<BackupObject[]>;
  stat(key: string): Promise<BackupObject | null>;
  /** Stores a finished local file under `key`, taking it over (the local file is gone after). */
  put(key: string, localPath: string): Promise<void>;
  /** A readable stream of the archive (null when missing). */
  read(key: string): Promise<{ stream: Readable; size: number } | null>;
  /** Copies the archive to `localPath` (for restoring from a remote store). */
  download(key: string, localPath: string): Promise<void>;
  /** Returns false when there was nothing to delete. */
  delete(key: string): Promise<boolean>;
  /** For stores on this disk: the archive's own path (read in place instead of copied). */
  localPath?(key: string): string;
}

/** Backups as files in one local folder (created on first write). */
export function createLocalBackupStore(dir: string): BackupStore {
  const path = (key: string) => join(dir, key);
  const statOf = (key: string): BackupObject | null => {
    try {
      const st = statSync(path(key));
      return st.isFile() ? { key, size: st.size, modified: formatDate(st.mtime) } : null;
    } catch {
      return null;
    }
  };
  return {
    async list() {
      if (!existsSync(dir)) return [];
      const items = readdirSync(dir)
        .map(statOf)
        .filter((o): o is BackupObject => o !== null);
      return items.sort((a, b) => (a.modified < b.modified ? 1 : a.modified > b.modified ? -1 : a.key.localeCompare(b.key)));
    },
    stat: async (key) => statOf(key),
    async put(key, localPath) {
      mkdirSync(dir, { recursive: true });
      try {
        renameSync(localPath, path(key));
      } catch {
        // another filesystem: copy, then drop the source
        copyFileSync(localPath, path(key));
        rmSync(localPath, { force: true });
      }
    },
    async read(key) {
      const st = statOf(key);
      return st ? { stream: createReadStream(path(key)), size: st.size } : null;
    },
    async download(key, localPath) {
      copyFileSync(path(key), localPath);
    },
    localPath: path,
    async delete(key) {
      if (!statOf(key)) return false;
      rmSync(path(key), { force: true });
      return true;
    },
  };
}
