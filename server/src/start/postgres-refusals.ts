/**
 * What a server on PostgreSQL answers with a clear 400 instead of serving, until it is built
 * there: backups (the SQLite backup API copies one file; a Postgres database is backed up with
 * `pg_dump` or the provider's snapshots), `POST /api/sql` (its runner reads the SQLite file in a
 * worker; use `psql`). Each is what `openServer` plugs in on Postgres; docs/scaling.md lists them.
 */
import { badRequest } from '../shared/errors.ts';
import type { BackupService } from '../admin/index.ts';
import type { SqlRunner } from '../db/index.ts';

export const BACKUPS_ON_POSTGRES =
  'Backups of a PostgreSQL database are made with pg_dump (or your provider\'s snapshots), not by Hearth: see docs/scaling.md.';
export const FILES_ON_POSTGRES =
  'Uploads on PostgreSQL are stored on S3 (a node\'s disk is not shared with the other nodes): configure the s3 settings first, see docs/files.md.';
export const SQL_ON_POSTGRES = 'The SQL console runs on SQLite only; on PostgreSQL use psql (or your provider\'s console).';

export function backupsRefused(): BackupService {
  const refuse = (): Promise<never> => Promise.reject(badRequest(BACKUPS_ON_POSTGRES));
  return {
    createBackup: refuse,
    listBackups: refuse,
    restoreBackup: refuse,
    deleteBackup: refuse,
    uploadBackup: refuse,
    openBackup: refuse,
    stagingPath: () => {
      throw badRequest(BACKUPS_ON_POSTGRES);
    },
    active: null,
    close: () => {},
  };
}

export function sqlRefused(): SqlRunner {
  return { run: () => Promise.reject(badRequest(SQL_ON_POSTGRES)), budgetMs: 0, close: () => {} };
}
