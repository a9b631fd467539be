/**
 * `hearth superuser upsert|delete|ips`: manage superusers directly in the data dir (safe while
 * serving) or, with `--db postgres://…` (or HEARTH_DB), in the PostgreSQL database the nodes
 * serve, and the `superuserIPs` setting — the way back in after a list that left you out.
 */
import { Command } from 'commander';
import { createSettingsStore, DEFAULT_HTTP, defaultSettings, deleteSuperuser, openDataDir, openPostgresData, openSettingsStore, upsertSuperuser } from '@hearth/server';
import { describeError, resolveDir } from '../data-dir.ts';
import { CliError } from '../output.ts';

interface Target {
  dir?: string;
  db?: string;
}

const DB_OPTION = ['--db <url>', 'a PostgreSQL database (postgres://…; env HEARTH_DB) instead of the data dir'] as const;

/** The PostgreSQL URL to work on, or null for the data dir. */
function postgresUrl(opts: Target): string | null {
  const url = opts.db ?? (process.env.HEARTH_DB || null);
  if (url !== null && !/^postgres(ql)?:\/\//.test(url)) throw new CliError('--db (or HEARTH_DB) must be a postgres:// URL.');
  return url;
}

export function superuserCommand(): Command {
  const cmd = new Command('superuser').description('Manage superusers');
  cmd
    .command('upsert')
    .description('Create a superuser, or update its password')
    .argument('<email>')
    .argument('<password>')
    .option('--dir <path>', 'data directory')
    .option(...DB_OPTION)
    .action(async (email: string, password: string, opts: Target) => {
      const url = postgresUrl(opts);
      let created: boolean;
      try {
        if (url) {
          const pg = await openPostgresData(url);
          try {
            created = (await upsertSuperuser(pg.engine, pg.registry, email, password)).created;
          } finally {
            await pg.close();
          }
        } else {
          const { db, registry } = openDataDir(resolveDir(opts.dir));
          try {
            created = (await upsertSuperuser(db, registry, email, password)).created;
          } finally {
            db.close();
          }
        }
      } catch (err) {
        throw new Error(describeError(err));
      }
      process.stdout.write(`Superuser ${email} ${created ? 'created' : 'updated'}.\n`);
    });
  cmd
    .command('delete')
    .description('Delete a superuser')
    .argument('<email>')
    .option('--dir <path>', 'data directory')
    .option(...DB_OPTION)
    .action(async (email: string, opts: Target) => {
      const url = postgresUrl(opts);
      let deleted: boolean;
      if (url) {
        const pg = await openPostgresData(url);
        try {
          deleted = await deleteSuperuser(pg.engine, pg.registry, email);
        } finally {
          await pg.close();
        }
      } else {
        const { db, registry } = openDataDir(resolveDir(opts.dir));
        try {
          deleted = deleteSuperuser(db, registry, email);
        } finally {
          db.close();
        }
      }
      if (!deleted) throw new Error(`No superuser with email ${email}.`);
      process.stdout.write(`Superuser ${email} deleted.\n`);
    });
  cmd
    .command('ips')
    .description('Set the addresses and CIDR subnets superusers may act from (none: clear the list, any address)')
    .argument('[ips...]', 'addresses or subnets, e.g. 127.0.0.1 10.0.0.0/8')
    .option('--dir <path>', 'data directory')
    .option(...DB_OPTION)
    .action(async (ips: string[], opts: Target) => {
      const url = postgresUrl(opts);
      const defaults = defaultSettings(`http://${DEFAULT_HTTP}`);
      try {
        if (url) {
          // The settings row's trigger notes the write to every node serving the database.
          const pg = await openPostgresData(url);
          try {
            await (await openSettingsStore(pg.engine, defaults)).update({ superuserIPs: ips });
          } finally {
            await pg.close();
          }
        } else {
          const { db } = openDataDir(resolveDir(opts.dir));
          try {
            await createSettingsStore(db, defaults, { outsideServer: true }).update({ superuserIPs: ips });
          } finally {
            db.close();
          }
        }
      } catch (err) {
        throw new Error(describeError(err));
      }
      process.stdout.write(ips.length === 0 ? 'Cleared superuserIPs: superusers may act from any address.\n' : `superuserIPs set to ${ips.join(', ')}.\n`);
    });
  return cmd;
}
