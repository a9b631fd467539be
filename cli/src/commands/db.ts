/**
 * `hearth db copy --from DIR --to postgres://…`: copies a SQLite data dir's database (system
 * tables and collections) into an empty PostgreSQL database in one transaction, with a progress
 * bar, and checks every table's row count on both sides at the end (exit 1 if any differs).
 * The data dir is locked for the copy, so no server writes to it meanwhile.
 * `hearth db setup --db postgres://…`: the system tables of a PostgreSQL database, created or
 * migrated to the current version (what a node on Postgres needs before it starts).
 */
import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { copySqliteToPostgres, lockDataDir, migrateEngine, MIGRATION_NAMES, openDataDir, openPostgresEngine, DataDirLockedError, type CopyReport } from '@hearth/server';
import { CliError, EXIT, colors, emit, errColors, info, out, table, useColor } from '../output.ts';
import { resolveDir } from '../data-dir.ts';

interface CopyOptions {
  from?: string;
  to: string;
  json?: boolean;
  progress: boolean;
}

function printReport(report: CopyReport): void {
  out(table([['table', 'kind', 'sqlite', 'postgres', ''], ...report.tables.map((t) => [
    t.name, t.kind, String(t.source), String(t.target), t.source === t.target ? colors.green('✓') : colors.red('✗ differs'),
  ])]));
  for (const w of report.warnings) info(`${errColors.yellow('!')} ${w}`);
  const rows = report.tables.reduce((n, t) => n + t.target, 0);
  out(report.countsMatch ? `Copied ${report.tables.length} tables, ${rows} rows; every row count matches.` : colors.red('Row counts differ: see the table above.'));
}

async function copy(o: CopyOptions): Promise<void> {
  if (!/^postgres(ql)?:\/\//.test(o.to)) throw new CliError('--to must be a postgres:// URL.');
  const dir = resolveDir(o.from);
  let unlock: () => void;
  try {
    unlock = lockDataDir(dir);
  } catch (err) {
    if (err instanceof DataDirLockedError) throw new CliError(`${dir} is in use by a running server; stop it first so no write is missed.`);
    throw err;
  }
  const data = openDataDir(dir);
  const target = openPostgresEngine(o.to, { max: 2 });
  const showBar = o.progress && !o.json && useColor(process.stderr) && process.stderr.isTTY;
  const bar = showBar
    ? new cliProgress.SingleBar({ format: 'copy {bar} {percentage}% | {value}/{total} rows | {table}', stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic)
    : null;
  let report: CopyReport;
  try {
    report = await copySqliteToPostgres({
      source: data.db,
      collections: data.registry.all(),
      target,
      onStart: (total) => bar?.start(total, 0, { table: '' }),
      onRows: (name, rows) => bar?.increment(rows, { table: name }),
    });
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  } finally {
    bar?.stop();
    await target.close();
    data.db.close();
    unlock();
  }
  emit(o.json, report, () => printReport(report));
  if (!report.countsMatch) process.exitCode = EXIT.FAILURE;
}

const POSTGRES_URL = /^postgres(ql)?:\/\//;

/** `hearth db setup --db URL`: the system tables (or the missing migrations) and the node setup. */
async function setup(o: { db?: string; json?: boolean }): Promise<void> {
  const url = o.db ?? process.env.HEARTH_DB ?? '';
  if (!POSTGRES_URL.test(url)) throw new CliError('--db (or HEARTH_DB) must be a postgres:// URL.');
  const engine = openPostgresEngine(url, { max: 1 });
  let applied: number[];
  try {
    applied = await migrateEngine(engine);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  } finally {
    await engine.close();
  }
  const latest = Math.max(...MIGRATION_NAMES.map((m) => m.version));
  emit(o.json, { applied, version: latest }, () =>
    out(applied.length === 0 ? `The database is up to date (system migrations through ${latest}).` : `Applied system migrations ${applied.join(', ')}; now at ${latest}.`),
  );
}

export function dbCommand(): Command {
  const db = new Command('db').description('move the database between engines');
  db.command('copy')
    .description('copy a SQLite data dir into an empty PostgreSQL database, then check row counts')
    .option('--from <dir>', 'data directory to copy (default ./hearth_data, env HEARTH_DIR)')
    .requiredOption('--to <url>', 'target database, postgres://user:password@host:port/db')
    .option('--json', 'machine-readable report')
    .option('--no-progress', 'no progress bar')
    .action(copy);
  db.command('setup')
    .description('create (or bring up to date) the system tables of a PostgreSQL database')
    .option('--db <url>', 'the database, postgres://user:password@host:port/db (env HEARTH_DB)')
    .option('--json', 'machine-readable report')
    .action(setup);
  return db;
}
