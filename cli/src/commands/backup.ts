/**
 * `hearth backup create|list|restore|delete`: consistent online backups (db snapshot + stored
 * files as one .zip) in the data dir's backups/ folder, or through a running server's /api/backups.
 * A restore with --dir replaces the data dir's database, so it takes the data dir's lock: while a
 * server holds it the restore is refused (restore through that server with --url instead).
 */
import { Command } from 'commander';
import { createBackupService, DataDirLockedError, lockDataDir, type BackupObject } from '@hearth/server';
import { api, remoteOf, withDataDir, withTarget, type TargetOptions } from '../target.ts';
import { CliError, colors, emit, out, table } from '../output.ts';
import { resolveDir } from '../data-dir.ts';

type Backups = ReturnType<typeof createBackupService>;

/** The data dir's backups (in its `backups.s3` bucket when the settings enable one), closed after `fn`. */
async function withBackups<T>(o: TargetOptions, fn: (b: Backups) => Promise<T>): Promise<T> {
  return withDataDir(o, async (d, dir) => {
    const backups = createBackupService({ db: d.db, dataDir: dir });
    try {
      return await fn(backups);
    } finally {
      backups.close();
    }
  });
}

function human(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let n = bytes;
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i ? n.toFixed(1) : n} ${units[i]}`;
}

/** The data dir's lock for an offline restore; a running server holds it. */
function lockForRestore(dir: string | undefined): () => void {
  try {
    return lockDataDir(resolveDir(dir));
  } catch (err) {
    if (err instanceof DataDirLockedError) throw new CliError(`${err.message.replace(/ Stop it first, or use another --dir\.$/, '')} Stop it first, or restore through it: hearth backup restore NAME --url <its url>.`);
    throw err;
  }
}

export function backupCommand(): Command {
  const cmd = new Command('backup').description('Create, list, restore and delete backups').addHelpText(
    'after',
    `
Examples:
  $ hearth backup create                      # hearth_backup_<app>_<time>.zip in ./hearth_data/backups
  $ hearth backup create nightly.zip --dir /srv/hearth_data
  $ hearth backup list --json
  $ hearth backup restore nightly.zip --url http://127.0.0.1:8090   # the server swaps its database
  $ hearth backup delete nightly.zip`,
  );

  withTarget(cmd.command('create').description('Take a consistent backup while the server keeps running').argument('[name]', 'file name, e.g. before-migration.zip'))
    .option('--no-compress', 'store entries uncompressed (faster for large databases)')
    .action(async (name: string | undefined, o: TargetOptions & { compress: boolean }) => {
      const remote = remoteOf(o);
      let key: string;
      if (remote) {
        await api(remote, 'POST', '/api/backups', name ? { name } : {});
        key = name ?? '(generated name)';
      } else {
        key = await withBackups(o, (b) => b.createBackup(name, { compress: o.compress }));
      }
      emit(o.json, { key }, () => out(`${colors.green('✓')} Backup ${colors.bold(key)} created.`));
    });

  withTarget(cmd.command('list').description('List backups, newest first')).action(async (o: TargetOptions) => {
    const remote = remoteOf(o);
    const list = remote ? await api<BackupObject[]>(remote, 'GET', '/api/backups') : await withBackups(o, (b) => b.listBackups());
    emit(o.json, list, () => {
      if (list.length === 0) return out(colors.dim('No backups yet.'));
      out(table([[colors.bold('KEY'), colors.bold('SIZE'), colors.bold('MODIFIED')], ...list.map((b) => [b.key, human(b.size), b.modified])]));
    });
  });

  withTarget(cmd.command('restore').description('Replace the database and stored files with a backup').argument('<name>'))
    .addHelpText('after', '\nWith --dir, stop the server first. With --url, the running server swaps its database and stays up.')
    .action(async (name: string, o: TargetOptions) => {
      const remote = remoteOf(o);
      if (remote) await api(remote, 'POST', `/api/backups/${encodeURIComponent(name)}/restore`);
      else {
        const unlock = lockForRestore(o.dir);
        try {
          await withBackups(o, (b) => b.restoreBackup(name));
        } finally {
          unlock();
        }
      }
      emit(o.json, { restored: name }, () => out(`${colors.green('✓')} Restored ${colors.bold(name)}.`));
    });

  withTarget(cmd.command('delete').description('Delete a backup file').argument('<name>')).action(async (name: string, o: TargetOptions) => {
    const remote = remoteOf(o);
    if (remote) await api(remote, 'DELETE', `/api/backups/${encodeURIComponent(name)}`);
    else await withBackups(o, (b) => b.deleteBackup(name));
    emit(o.json, { deleted: name }, () => out(`Backup ${name} deleted.`));
  });
  return cmd;
}
