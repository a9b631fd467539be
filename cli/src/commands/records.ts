/**
 * `hearth records import|export COLLECTION FILE`: bulk load and dump in JSON Lines, JSON or CSV.
 * Import validates every row as the API does, commits in batched transactions, reports each bad
 * line with its number and reason, and ends with a summary (exit code 4 when lines failed).
 */
import { Command } from 'commander';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { exportRecordPages, hashPassword, IMPORT_BATCH_ROWS, importRecordBatch, toWire, type ImportRow, type RowFailure } from '@hearth/server';
import { CliError, EXIT, colors, emit, errColors, info, out, useColor } from '../output.ts';
import { csvHeader, csvRows, exportable, formatOf, readRecords, type FieldInfo, type Format } from '../record-files.ts';
import { api, remoteOf, withDataDir, withTarget, type DataDir, type Remote, type TargetOptions } from '../target.ts';

/** PocketBase's batch limit: rows per /api/batch request when importing through a server. */
const REMOTE_BATCH_ROWS = 50;

interface ImportOptions extends TargetOptions {
  format?: string;
  dryRun?: boolean;
  progress: boolean;
}

type Writer = (rows: ImportRow[]) => Promise<{ imported: number; failed: RowFailure[] }>;

function dirWriter(d: DataDir, collection: string, dryRun: boolean): Writer {
  const deps = { engine: d.engine, q: d.engine, db: d.db, registry: d.registry, events: d.events, hashPassword: (p: string) => hashPassword(p) };
  return (rows) => importRecordBatch(deps, collection, rows, { dryRun });
}

function remoteWriter(remote: Remote, collection: string): Writer {
  const url = `/api/collections/${encodeURIComponent(collection)}/records`;
  return async (rows) => {
    try {
      await api(remote, 'POST', '/api/batch', { requests: rows.map((r) => ({ method: 'POST', url, body: r.body })) });
      return { imported: rows.length, failed: [] };
    } catch {
      // the batch is all-or-nothing: find the bad rows one by one
      const failed: RowFailure[] = [];
      for (const r of rows) {
        try {
          await api(remote, 'POST', url, r.body);
        } catch (err) {
          failed.push({ line: r.line, reason: (err as Error).message });
        }
      }
      return { imported: rows.length - failed.length, failed };
    }
  };
}

async function fieldsOf(o: TargetOptions, remote: Remote | null, collection: string): Promise<FieldInfo[]> {
  const wire = remote
    ? await api<{ fields: FieldInfo[] }>(remote, 'GET', `/api/collections/${encodeURIComponent(collection)}`)
    : await withDataDir(o, (d) => toWire(d.collections.get(collection)) as unknown as { fields: FieldInfo[] });
  return wire.fields;
}

async function runImport(collection: string, file: string, o: ImportOptions, write: Writer, fields: FieldInfo[]) {
  const format = formatOf(file, o.format);
  const total = statSync(file).size;
  const showBar = o.progress && !o.json && useColor(process.stderr) && process.stderr.isTTY;
  const bar = showBar
    ? new cliProgress.SingleBar({ format: `${collection} {bar} {percentage}% | {rows} rows | {rate} rows/s`, stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic)
    : null;
  const started = Date.now();
  let bytes = 0;
  let imported = 0;
  const failed: RowFailure[] = [];
  bar?.start(total, 0, { rows: 0, rate: 0 });
  const batchSize = remoteOf(o) ? REMOTE_BATCH_ROWS : IMPORT_BATCH_ROWS;
  let batch: ImportRow[] = [];
  let unreadable: RowFailure[] = [];
  const report = (f: RowFailure) => {
    failed.push(f);
    if (!o.json) {
      if (bar) bar.stop();
      info(`${errColors.red('✗')} line ${f.line}: ${f.reason}`);
      if (bar) bar.start(total, bytes, { rows: imported, rate: 0 });
    }
  };
  const flush = async () => {
    if (!batch.length && !unreadable.length) return;
    const res = batch.length ? await write(batch) : { imported: 0, failed: [] };
    imported += res.imported;
    for (const f of [...unreadable, ...res.failed].sort((a, b) => a.line - b.line)) report(f);
    batch = [];
    unreadable = [];
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    bar?.update(bytes, { rows: imported, rate: Math.round(imported / seconds) });
  };
  for await (const item of readRecords(file, format as Format, fields, (n) => (bytes += n))) {
    if ('error' in item) unreadable.push({ line: item.line, reason: item.error });
    else batch.push(item);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  bar?.update(total);
  bar?.stop();
  const seconds = (Date.now() - started) / 1000;
  const summary = { collection, imported, failed: failed.length, dryRun: o.dryRun === true, seconds, rowsPerSecond: Math.round(imported / Math.max(seconds, 0.001)), failures: failed };
  emit(o.json, summary, () => {
    const verb = o.dryRun ? 'Would import' : 'Imported';
    out(`${verb} ${colors.bold(String(imported))} records into ${collection}, ${failed.length ? colors.red(`${failed.length} failed`) : '0 failed'} (${seconds.toFixed(1)} s, ${summary.rowsPerSecond} rows/s).`);
  });
  if (failed.length) process.exitCode = EXIT.PARTIAL;
}

async function runExport(collection: string, file: string, o: TargetOptions & { format?: string }) {
  const format = formatOf(file, o.format);
  const remote = remoteOf(o);
  const fd = file === '-' ? 1 : openSync(file, 'w');
  let count = 0;
  let columns: string[] | null = null;
  const writePage = (page: Record<string, unknown>[]) => {
    const rows = page.map(exportable);
    if (format === 'csv') {
      if (!columns) {
        columns = Object.keys(rows[0] ?? {});
        writeSync(fd, csvHeader(columns));
      }
      writeSync(fd, csvRows(rows, columns));
    } else if (format === 'jsonl') {
      writeSync(fd, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    } else {
      writeSync(fd, (count === 0 ? '[\n' : ',\n') + rows.map((r) => JSON.stringify(r)).join(',\n'));
    }
    count += rows.length;
  };
  try {
    if (remote) {
      const path = `/api/collections/${encodeURIComponent(collection)}/records?perPage=1000&sort=@rowid&skipTotal=1`;
      for (let page = 1; ; page++) {
        const res = await api<{ items: Record<string, unknown>[] }>(remote, 'GET', `${path}&page=${page}`);
        if (res.items.length) writePage(res.items);
        if (res.items.length < 1000) break;
      }
    } else {
      await withDataDir(o, async (d) => {
        const deps = { engine: d.engine, q: d.engine, db: d.db, registry: d.registry, events: d.events, hashPassword: () => Promise.reject(new Error('export never writes')) };
        for await (const page of exportRecordPages(deps, collection)) writePage(page);
      });
    }
    if (format === 'json') writeSync(fd, count === 0 ? '[]\n' : '\n]\n');
  } finally {
    if (fd !== 1) closeSync(fd);
  }
  if (file !== '-') emit(o.json, { collection, file, exported: count }, () => info(`Exported ${count} records of ${collection} to ${file}.`));
}

export function recordsCommand(): Command {
  const cmd = new Command('records').description('Bulk import and export of records').addHelpText(
    'after',
    `
Examples:
  $ hearth records import posts posts.csv          # header row = field names
  $ hearth records import posts posts.jsonl --dry-run
  $ hearth records export posts posts.jsonl
  $ hearth records export posts - --format csv > posts.csv`,
  );
  withTarget(cmd.command('import').description('Load records from a .jsonl, .json or .csv file').argument('<collection>').argument('<file>'))
    .option('--format <format>', 'jsonl, json or csv (default: from the extension)')
    .option('--dry-run', 'validate every row, write nothing')
    .option('--no-progress', 'no progress bar')
    .action(async (collection: string, file: string, o: ImportOptions) => {
      try {
        statSync(file);
      } catch {
        throw new CliError(`No such file: ${file}`);
      }
      const remote = remoteOf(o);
      if (remote) {
        if (o.dryRun) throw new CliError('--dry-run works on a data dir (--dir), not through --url.');
        await runImport(collection, file, o, remoteWriter(remote, collection), await fieldsOf(o, remote, collection));
      } else {
        await withDataDir(o, (d) => runImport(collection, file, o, dirWriter(d, collection, o.dryRun === true), toWire(d.collections.get(collection)).fields as FieldInfo[]));
      }
    });
  withTarget(cmd.command('export').description('Write every record to a .jsonl, .json or .csv file (- for stdout)').argument('<collection>').argument('<file>'))
    .option('--format <format>', 'jsonl, json or csv (default: from the extension)')
    .action((collection: string, file: string, o: TargetOptions & { format?: string }) => runExport(collection, file, o));
  return cmd;
}
