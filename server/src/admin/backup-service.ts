/**
 * Backups of a data dir: `createBackup` (online SQLite snapshot + stored files as one .zip, taken
 * while writes continue), `listBackups`, `restoreBackup` (the running database is swapped in one
 * synchronous step, then migrated and `onRestored` reloads what caches it), `deleteBackup`,
 * `uploadBackup` and `openBackup` (download). One backup or restore runs at a time per process.
 * This is the programmatic API the HTTP routes, the CLI and scheduled backups use.
 */
import { existsSync, mkdirSync, openSync, readSync, closeSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { openDatabase, runMigrations, type SqlDb } from '../db/index.ts';
import { badRequest, fieldError, validationError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { DB_ENTRY, STORAGE_ENTRY, extractArchive, writeArchive } from './backup-archive.ts';
import { generateBackupName, isSafeKey, newNameError } from './backup-names.ts';
import { createLocalBackupStore, type BackupObject, type BackupStore } from './backup-store.ts';
import { createSettingsBackupStore } from './backup-s3-store.ts';
import type { S3BucketSettings } from '../files/s3-client.ts';
import { createSettingsStore } from './settings.ts';
import { defaultSettings } from './settings-schema.ts';

/** Folder names inside the data dir. */
export const BACKUPS_DIR = 'backups';
export const STORAGE_DIR = 'storage';
export const TEMP_DIR = '.hearth_temp';

export interface BackupServiceDeps {
  db: SqlDb;
  dataDir: string;
  /** Where archives are kept; default: the `backups.s3` bucket when enabled, else `<dataDir>/backups`. */
  store?: BackupStore;
  /** The current `backups.s3` settings; default: read from the database's settings on each call. */
  s3Settings?: () => S3BucketSettings | null | undefined;
  /** Used in generated names (`hearth_backup_<app>_<time>.zip`). */
  appName?: () => string;
  /** After a restore swapped the database: reload the registry, settings and caches. */
  onRestored?: () => void;
}

export interface CreateBackupOptions {
  /** Prefix of a generated name (scheduled backups use `@auto_hearth_backup_`). */
  prefix?: string;
  /** false stores the archive uncompressed. Default true. */
  compress?: boolean;
}

export interface BackupService {
  /** Returns the key of the new backup. `name` must match `^[a-z0-9_-]+\.zip$` and be new. */
  createBackup(name?: string, options?: CreateBackupOptions): Promise<string>;
  /** Newest first. */
  listBackups(): Promise<BackupObject[]>;
  restoreBackup(key: string): Promise<void>;
  deleteBackup(key: string): Promise<void>;
  /** Takes over the zip at `localPath` as backup `key`. */
  uploadBackup(key: string, localPath: string): Promise<void>;
  openBackup(key: string): Promise<{ stream: Readable; size: number } | null>;
  /** A fresh path inside the data dir to stage an upload at (same disk: the move is a rename). */
  stagingPath(): string;
  /** The key being created or restored right now, if any. */
  readonly active: string | null;
  /** Releases the remote store's connections. */
  close(): void;
}

const BUSY = 'Try again later - another backup/restore process has already been started.';
const ZIP_MAGIC = [Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.from('PK\u0005\u0006', 'latin1')];

function isZipFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && ZIP_MAGIC.some((m) => m.equals(head));
  } finally {
    closeSync(fd);
  }
}

/** Opens a restored database file apart from the live one and checks it is sound. */
function checkDatabase(path: string): void {
  if (!existsSync(path)) throw badRequest('Invalid backup archive: data.db is missing.');
  let db: SqlDb | undefined;
  try {
    db = openDatabase(path);
    const result = db.pluck<string>('PRAGMA integrity_check');
    if (result.length !== 1 || result[0] !== 'ok') throw badRequest(`Invalid backup archive: data.db fails the integrity check (${result.slice(0, 3).join('; ')}).`);
  } catch (err) {
    if ((err as { code?: string }).code === 'bad_request') throw err;
    throw badRequest('Invalid backup archive: data.db is not a readable SQLite database.');
  } finally {
    db?.close();
  }
}

export function createBackupService(deps: BackupServiceDeps): BackupService {
  const { db, dataDir } = deps;
  const s3Settings = deps.s3Settings ?? (() => createSettingsStore(db, defaultSettings('')).get().backups.s3);
  const settingsStore = deps.store ? null : createSettingsBackupStore(createLocalBackupStore(join(dataDir, BACKUPS_DIR)), s3Settings);
  const store = deps.store ?? settingsStore!;
  let active: string | null = null;

  const tempDir = (kind: string): string => {
    const dir = join(dataDir, TEMP_DIR, `${kind}_${newId(10)}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  };

  async function exclusively<T>(key: string, fn: () => Promise<T>): Promise<T> {
    if (active !== null) throw badRequest(BUSY);
    active = key;
    try {
      return await fn();
    } finally {
      active = null;
    }
  }

  async function checkNewName(name: string): Promise<void> {
    const invalid = newNameError(name);
    if (invalid) throw invalid;
    if (await store.stat(name)) {
      throw validationError('An error occurred while validating the submitted data.', {
        name: fieldError('validation_backup_name_exists', 'The backup file name is invalid or already exists.'),
      });
    }
  }

  async function swapIn(extracted: string): Promise<void> {
    checkDatabase(join(extracted, DB_ENTRY));
    const old = tempDir('old');
    try {
      db.replaceFile(join(extracted, DB_ENTRY), join(old, DB_ENTRY));
      const storage = join(dataDir, STORAGE_DIR);
      if (existsSync(storage)) renameSync(storage, join(old, STORAGE_ENTRY));
      if (existsSync(join(extracted, STORAGE_ENTRY))) renameSync(join(extracted, STORAGE_ENTRY), storage);
      runMigrations(db);
      deps.onRestored?.();
    } finally {
      rmSync(old, { recursive: true, force: true });
    }
  }

  return {
    get active() {
      return active;
    },
    async createBackup(name, options = {}) {
      if (active !== null) throw badRequest(BUSY);
      const key = name || generateBackupName(deps.appName?.() ?? 'Hearth', options.prefix ?? 'hearth_backup_');
      if (name) await checkNewName(name);
      return exclusively(key, async () => {
        const work = tempDir('backup');
        try {
          const snapshot = join(work, DB_ENTRY);
          await db.backup(snapshot);
          const archive = join(work, 'archive.zip');
          await writeArchive(archive, { dbFile: snapshot, storageDir: join(dataDir, STORAGE_DIR), compress: options.compress });
          await store.put(key, archive);
          return key;
        } finally {
          rmSync(work, { recursive: true, force: true });
        }
      });
    },
    listBackups: () => store.list(),
    async restoreBackup(key) {
      if (active !== null) throw badRequest(BUSY);
      if (!isSafeKey(key) || !(await store.stat(key))) throw badRequest('Missing or invalid backup file.');
      await exclusively(key, async () => {
        const work = tempDir('restore');
        try {
          let zip = store.localPath?.(key);
          if (!zip) {
            zip = join(work, 'archive.zip');
            await store.download(key, zip);
          }
          const extracted = join(work, 'data');
          await extractArchive(zip, extracted);
          await swapIn(extracted);
        } finally {
          rmSync(work, { recursive: true, force: true });
        }
      });
    },
    async deleteBackup(key) {
      if (active !== null && active === key) throw badRequest('The backup is currently being used and cannot be deleted.');
      if (!isSafeKey(key) || !(await store.delete(key))) throw badRequest('Invalid or already deleted backup file.');
    },
    async uploadBackup(key, localPath) {
      const fail = (code: string, message: string) => validationError('An error occurred while validating the submitted data.', { file: fieldError(code, message) });
      if (!isSafeKey(key)) throw fail('validation_invalid_name', 'The backup file name is invalid.');
      if (!isZipFile(localPath)) throw fail('validation_invalid_mime_type', 'The file must be a zip archive (application/zip).');
      if (await store.stat(key)) throw fail('validation_backup_name_exists', 'Backup file with the specified name already exists.');
      await store.put(key, localPath);
    },
    stagingPath: () => join(tempDir('upload'), 'upload.zip'),
    openBackup: async (key) => (isSafeKey(key) ? store.read(key) : null),
    close: () => settingsStore?.close(),
  };
}
