/**
 * `npm run bench:bulk [-- --rows 100000 --db-mb 1024]`: records import throughput (rows/s, the
 * real `hearth records import` on a generated CSV) and the time of an online backup of a database
 * grown to --db-mb megabytes (default 100; 1024 for the 1 GB case, which takes minutes and needs
 * ~3 GB of free disk). Prints one table; temp dirs are removed at the end.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createBackupService, openDataDir } from '../server/src/index.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ROWS = flag('rows', 100_000);
const DB_MB = flag('db-mb', 100);
const ROOT = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'hearth-bench-bulk-'));
const log = (m: string) => process.stderr.write(`[bench:bulk] ${m}\n`);

function hearth(...a: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'cli/bin/hearth.js'), ...a], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`hearth ${a.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function main() {
  const results: Array<[string, string]> = [];
  // 1. import
  const dir = join(work, 'import');
  hearth('collections', 'create', JSON.stringify({ name: 'items', fields: [{ name: 'title', type: 'text', required: true }, { name: 'qty', type: 'number' }, { name: 'done', type: 'bool' }] }), '--dir', dir);
  const lines = ['title,qty,done'];
  for (let i = 1; i <= ROWS; i++) lines.push(`item ${i},${i},${i % 2 === 0}`);
  const csv = join(work, 'items.csv');
  writeFileSync(csv, lines.join('\n') + '\n');
  log(`importing ${ROWS} CSV rows`);
  const summary = JSON.parse(hearth('records', 'import', 'items', csv, '--dir', dir, '--json')) as { imported: number; seconds: number; rowsPerSecond: number };
  results.push([`records import, ${ROWS} CSV rows (3 fields)`, `${summary.rowsPerSecond} rows/s (${summary.seconds.toFixed(1)} s)`]);

  // 2. backup of a db grown to DB_MB
  const big = join(work, 'big');
  const data = openDataDir(big);
  await data.collections.create({ name: 'blobs', fields: [{ name: 'payload', type: 'text' }] });
  const payload = 'x'.repeat(4000);
  log(`growing a database to ${DB_MB} MB`);
  const target = DB_MB * 1024 * 1024;
  let n = 0;
  while (statSync(join(big, 'data.db')).size + (n ? 0 : 0) < target) {
    data.db.transaction(() => {
      for (let i = 0; i < 2000; i++, n++) data.db.run('INSERT INTO "blobs" ("id", "payload", "created", "updated") VALUES (?, ?, ?, ?)', [String(n).padStart(15, '0'), payload + n, '', '']);
    });
    data.db.checkpoint();
  }
  const size = statSync(join(big, 'data.db')).size;
  const backups = createBackupService({ db: data.db, dataDir: big });
  for (const compress of [true, false]) {
    const started = performance.now();
    const key = await backups.createBackup(`bench-${compress ? 'deflate' : 'store'}.zip`, { compress });
    const seconds = (performance.now() - started) / 1000;
    const zip = statSync(join(big, 'backups', key)).size;
    results.push([`backup create, ${(size / 1024 / 1024).toFixed(0)} MB db, ${compress ? 'deflate' : 'stored'}`, `${seconds.toFixed(1)} s (${(size / 1024 / 1024 / seconds).toFixed(0)} MB/s, zip ${(zip / 1024 / 1024).toFixed(0)} MB)`]);
  }
  data.db.close();
  const width = Math.max(...results.map(([k]) => k.length));
  process.stdout.write(results.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n');
}

main()
  .catch((err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(() => rmSync(work, { recursive: true, force: true }));
