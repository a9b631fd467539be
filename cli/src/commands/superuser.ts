/**
 * `hearth superuser upsert|delete|ips`: manage superusers directly in the data dir (safe while
 * serving), and the `superuserIPs` setting — the way back in after a list that left you out.
 */
import { Command } from 'commander';
import { createSettingsStore, DEFAULT_HTTP, defaultSettings, deleteSuperuser, openDataDir, upsertSuperuser } from '@hearth/server';
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
  cmd
    .command('ips')
    .description('Set the addresses and CIDR subnets superusers may act from (none: clear the list, any address)')
    .argument('[ips...]', 'addresses or subnets, e.g. 127.0.0.1 10.0.0.0/8')
    .option('--dir <path>', 'data directory')
    .action(async (ips: string[], opts: { dir?: string }) => {
      const { db } = openDataDir(resolveDir(opts.dir));
      try {
        const settings = createSettingsStore(db, defaultSettings(`http://${DEFAULT_HTTP}`), { outsideServer: true });
        try {
          await settings.update({ superuserIPs: ips });
        } catch (err) {
          throw new Error(describeError(err));
        }
        process.stdout.write(ips.length === 0 ? 'Cleared superuserIPs: superusers may act from any address.\n' : `superuserIPs set to ${ips.join(', ')}.\n`);
      } finally {
        db.close();
      }
    });
  return cmd;
}
