/**
 * `hearth migrate [up|status]`: versioned schema files for teams that prefer migrations to one
 * declarative file. Each file in the folder (`001_posts.json`, `002_tags.ts`, … applied in name
 * order) holds `{ collections: [...] }` (optionally `deleteMissing: true`), upserted like
 * `PUT /api/collections/import`. Each runs once, in one transaction with its record in `_params`.
 */
import { Command } from 'commander';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readSchemaFile } from '../schema-source.ts';
import { CliError, colors, emit, out } from '../output.ts';
import { withDataDir, type DataDir, type TargetOptions } from '../target.ts';

const KEY = 'schemaMigrations';
const FILE = /\.(json|ts|mts|js|mjs)$/;

interface MigrateOptions extends TargetOptions {
  migrations: string;
}

function applied(d: DataDir): Record<string, string> {
  const row = d.db.get<{ value: string }>('SELECT "value" FROM "_params" WHERE "key" = ?', [KEY]);
  return row ? (JSON.parse(row.value) as Record<string, string>) : {};
}

function pending(folder: string, done: Record<string, string>): string[] {
  if (!existsSync(folder)) throw new CliError(`No migrations folder ${folder} (set it with --migrations).`);
  return readdirSync(folder)
    .filter((f) => FILE.test(f) && !f.endsWith('.d.ts'))
    .sort()
    .filter((f) => !done[f]);
}

async function up(o: MigrateOptions) {
  const ran: string[] = [];
  await withDataDir(o, async (d) => {
    for (const file of pending(o.migrations, applied(d))) {
      const doc = (await readSchemaFile(join(o.migrations, file))) as { collections: unknown[]; deleteMissing?: boolean };
      await d.collections.importCollections(doc.collections, doc.deleteMissing === true, async (tx) => {
        const now = new Date().toISOString();
        await tx.run('INSERT INTO "_params" ("key", "value", "updated") VALUES (?, ?, ?) ON CONFLICT("key") DO UPDATE SET "value" = excluded."value", "updated" = excluded."updated"', [
          KEY,
          JSON.stringify({ ...applied(d), [file]: now }),
          now,
        ]);
      });
      ran.push(file);
      if (!o.json) out(`${colors.green('✓')} ${file}`);
    }
  });
  emit(o.json, { applied: ran }, () => out(ran.length ? `Applied ${ran.length} migration(s).` : colors.dim('Nothing to apply.')));
}

async function status(o: MigrateOptions) {
  const rows = await withDataDir(o, (d) => {
    const done = applied(d);
    const files = existsSync(o.migrations) ? readdirSync(o.migrations).filter((f) => FILE.test(f)).sort() : [];
    return files.map((file) => ({ file, applied: done[file] ?? null }));
  });
  emit(o.json, rows, () => {
    for (const r of rows) out(`${r.applied ? colors.green('applied') : colors.yellow('pending')}  ${r.file}${r.applied ? colors.dim(`  ${r.applied}`) : ''}`);
    if (!rows.length) out(colors.dim('No migration files.'));
  });
}

export function migrateCommand(): Command {
  const cmd = new Command('migrate')
    .description('Apply versioned schema files from a folder, each once')
    .argument('[action]', 'up (default) or status', 'up')
    .option('--migrations <folder>', 'the folder of migration files', 'hearth_migrations')
    .option('--dir <path>', 'data directory (default ./hearth_data, env HEARTH_DIR)')
    .option('--json', 'machine-readable output')
    .addHelpText('after', '\nExamples:\n  $ hearth migrate                 # apply pending files from ./hearth_migrations\n  $ hearth migrate status --json')
    .action((action: string, o: MigrateOptions) => {
      if (action === 'up') return up(o);
      if (action === 'status') return status(o);
      throw new CliError(`Unknown action "${action}": use up or status.`, 2);
    });
  return cmd;
}
