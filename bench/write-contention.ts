/**
 * `node bench/write-contention.ts [--procs 2] [--seconds 5] [--work-us 100]`: how should several
 * workers write one SQLite file? Each write is what a record create does at the storage level (the
 * row and its `_changes` entry in one transaction), preceded by `--work-us` of CPU standing for the
 * request's parsing, validation and serialisation. Modes, each run on a fresh db:
 *  - immediate: every process writes itself, `BEGIN IMMEDIATE` + busy_timeout (what workers do);
 *  - funnel: processes send each write over IPC to one writer process and wait for its answer;
 *  - funnel-batched: the same, the writer committing every write queued so far in one transaction.
 * Prints writes/s, latency percentiles of a write (as its sender sees it) and busy errors.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase, type SqlDb } from '../server/src/db/index.ts';

type Mode = 'immediate' | 'funnel' | 'funnel-batched';
const MODES: Mode[] = ['immediate', 'funnel', 'funnel-batched'];
/** Requests each funnel client keeps in flight (an HTTP worker serves many at once). */
const FUNNEL_IN_FLIGHT = 8;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS "items" ("id" TEXT PRIMARY KEY, "title" TEXT, "owner" TEXT, "created" TEXT);
  CREATE TABLE IF NOT EXISTS "log" ("seq" INTEGER PRIMARY KEY AUTOINCREMENT, "recordId" TEXT, "data" TEXT);`;

const spin = (us: number): void => {
  const end = performance.now() + us / 1000;
  while (performance.now() < end);
};

let counter = 0;
const row = (): [string, string] => {
  const id = `${process.pid}-${++counter}`;
  return [id, JSON.stringify({ id, title: `title ${counter}`, owner: 'u1', created: new Date().toISOString() })];
};

function writeOne(db: SqlDb, id: string, data: string): void {
  db.transaction(() => {
    db.run('INSERT INTO "items" ("id", "title", "owner", "created") VALUES (?, ?, ?, ?)', [id, 'title', 'u1', '2026-01-01']);
    db.run('INSERT INTO "log" ("recordId", "data") VALUES (?, ?)', [id, data]);
  });
}

interface Report {
  writes: number;
  busy: number;
  latencies: number[];
}

// ── child: a writing or sending worker ───────────────────────────────────────
async function child(mode: Mode, file: string, seconds: number, workUs: number): Promise<Report> {
  const until = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  let busy = 0;
  if (mode === 'immediate') {
    const db = openDatabase(file);
    while (performance.now() < until) {
      spin(workUs);
      const [id, data] = row();
      const t0 = performance.now();
      try {
        writeOne(db, id, data);
        latencies.push(performance.now() - t0);
      } catch {
        busy++;
      }
    }
    db.close();
    return { writes: latencies.length, busy, latencies };
  }
  const pending = new Map<string, () => void>();
  process.on('message', (m: { ack: string }) => pending.get(m.ack)?.());
  const loop = async (): Promise<void> => {
    while (performance.now() < until) {
      spin(workUs);
      const [id, data] = row();
      const t0 = performance.now();
      await new Promise<void>((ok) => {
        pending.set(id, ok);
        process.send!({ id, data });
      });
      pending.delete(id);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: FUNNEL_IN_FLIGHT }, loop));
  return { writes: latencies.length, busy, latencies };
}

// ── parent ────────────────────────────────────────────────────────────────────
async function run(mode: Mode, procs: number, seconds: number, workUs: number): Promise<Report & { wallS: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-contention-'));
  const file = join(dir, 'data.db');
  const writer = openDatabase(file);
  writer.exec(SCHEMA);
  const queue: Array<{ id: string; data: string; reply: () => void }> = [];
  let flushing = false;
  const flush = (): void => {
    flushing = false;
    const batch = queue.splice(0);
    writer.transaction(() => {
      for (const w of batch) writeOne(writer, w.id, w.data);
    });
    for (const w of batch) w.reply();
  };
  const t0 = performance.now();
  const reports = await Promise.all(
    Array.from({ length: procs }, () => {
      const c = fork(import.meta.filename, ['--child', mode, file, String(seconds), String(workUs)]);
      c.on('message', (m: { id?: string; data?: string; report?: Report }) => {
        if (!m.id) return;
        const reply = () => c.send({ ack: m.id });
        if (mode === 'funnel') {
          writeOne(writer, m.id, m.data!);
          reply();
        } else {
          queue.push({ id: m.id, data: m.data!, reply });
          if (!flushing) {
            flushing = true;
            setImmediate(flush);
          }
        }
      });
      return new Promise<Report>((ok) => c.on('message', (m: { report?: Report }) => m.report && ok(m.report)));
    }),
  );
  const wallS = (performance.now() - t0) / 1000;
  writer.close();
  rmSync(dir, { recursive: true, force: true });
  return { writes: reports.reduce((a, r) => a + r.writes, 0), busy: reports.reduce((a, r) => a + r.busy, 0), latencies: reports.flatMap((r) => r.latencies), wallS };
}

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

if (process.argv[2] === '--child') {
  const [, , , mode, file, seconds, workUs] = process.argv;
  const report = await child(mode as Mode, file!, Number(seconds), Number(workUs));
  process.send!({ report }, () => process.exit(0));
} else {
  const { values } = parseArgs({ options: { procs: { type: 'string', default: '2' }, seconds: { type: 'string', default: '5' }, 'work-us': { type: 'string', default: '100' }, modes: { type: 'string' } } });
  const procs = Number(values.procs);
  const seconds = Number(values.seconds);
  const workUs = Number(values['work-us']);
  const modes = values.modes ? (values.modes.split(',') as Mode[]) : MODES;
  const [l1] = (await import('node:os')).loadavg();
  process.stdout.write(`${procs} processes, ${seconds} s per mode, ${workUs} µs of request work per write, load average ${l1!.toFixed(2)}\n`);
  process.stdout.write('mode            writes/s   p50 ms   p99 ms   busy errors\n');
  for (const mode of modes) {
    const r = await run(mode, procs, seconds, workUs);
    const sorted = r.latencies.sort((a, b) => a - b);
    process.stdout.write(
      `${mode.padEnd(15)} ${String(Math.round(r.writes / seconds)).padStart(8)} ${pct(sorted, 50).toFixed(3).padStart(8)} ${pct(sorted, 99).toFixed(3).padStart(8)} ${String(r.busy).padStart(13)}\n`,
    );
  }
}
