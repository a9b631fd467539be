/** `hearth superuser upsert|delete`: manage superusers directly in the data dir (safe while serving). */
import { Command } from 'commander';
import { deleteSuperuser, openDataDir, upsertSuperuser } from '@hearth/server';
import { describeError, resolveDir } from '../data-dir.ts';

export function superuserCommand(): Command {
  const cmd = new Command('superuser').description('Manage superusers');
  cmd
    .command('upsert')
    .description('Create a superuser, or update its password')
    .argument('<email>')
    .argument('<password>')
    .option('--dir <path>', 'data directory')
    .action(async (email: string, password: string, opts: { dir?: string }) => {
      const { db, registry } = openDataDir(resolveDir(opts.dir));
      try {
        const res = await upsertSuperuser(db, registry, email, password);
        process.stdout.write(`Superuser ${email} ${res.created ? 'created' : 'updated'}.\n`);
      } catch (err) {
        throw new Error(describeError(err));
      } finally {
        db.close();
      }
    });
  cmd
    .command('delete')
    .description('Delete a superuser')
    .argument('<email>')
    .option('--dir <path>', 'data directory')
    .action((email: string, opts: { dir?: string }) => {
      const { db, registry } = openDataDir(resolveDir(opts.dir));
      try {
        if (!deleteSuperuser(db, registry, email)) throw new Error(`No superuser with email ${email}.`);
        process.stdout.write(`Superuser ${email} deleted.\n`);
      } finally {
        db.close();
      }
    });
  return cmd;
}
