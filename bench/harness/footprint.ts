/**
 * Deployment footprint of the three ways to run Hearth — TypeScript sources (type stripping),
 * the esbuild bundle (`npm run build`) and the single executable (`npm run build:binary`):
 * file size, cold start (spawn → first 200 from /api/health, wall time and the CPU time the
 * process used by then), idle RSS (3 s after start), and RSS under a steady read/write load.
 * Each form is started FOOTPRINT_RUNS times on a fresh data dir; medians are reported.
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SERVER_NODE_FLAGS } from '../../scripts/node-flags.ts';
import { freePort } from './ports.ts';
import { sampleProc } from './proc-stats.ts';
import { makeTempDir, removeTempDir, spawnTracked, stopTracked } from './processes.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const FOOTPRINT_RUNS = 3;
const IDLE_SETTLE_MS = 3000;
/** Concurrent client loops and duration of the loaded phase. */
const LOAD_CLIENTS = 8;
const LOAD_MS = 8000;
const EMAIL = 'bench@example.com';
const PASSWORD = 'bench password 123';

export interface FootprintRow {
  form: 'source' | 'bundle' | 'binary';
  command: string;
  sizeMb: number | null;
  coldStartMs: number;
  coldStartCpuMs: number;
  idleRssMb: number;
  loadedRssMb: number;
  loadedRequests: number;
}

interface Form {
  form: FootprintRow['form'];
  cmd: string;
  args: string[];
  file: string | null;
  command: string;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function build(script: string, log: (m: string) => void): void {
  log(`footprint: node scripts/${script}`);
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', script)], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scripts/${script} failed: ${r.stderr}`);
}

async function api(url: string, method: string, body?: unknown, token?: string): Promise<any> {
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function measureOnce(f: Form): Promise<Omit<FootprintRow, 'form' | 'command' | 'sizeMb'>> {
  const dir = makeTempDir(`footprint-${f.form}`);
  try {
    const up = spawnSync(f.cmd, [...f.args, 'superuser', 'upsert', EMAIL, PASSWORD, '--dir', dir], { cwd: ROOT, encoding: 'utf8' });
    if (up.status !== 0) throw new Error(`superuser upsert failed: ${up.stderr}`);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const started = performance.now();
    const t = spawnTracked(`footprint-${f.form}`, f.cmd, [...f.args, 'serve', '--http', `127.0.0.1:${port}`, '--dir', dir, '--workers', '1'], { cwd: ROOT, env: { ...process.env, HEARTH_LOG_LEVEL: 'warn' } });
    const pid = t.child.pid!;
    let coldStartMs = 0;
    let coldStartCpuMs = 0;
    for (;;) {
      if (t.child.exitCode !== null) throw new Error(`server exited: ${t.tail()}`);
      const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
      if (ok) {
        coldStartMs = performance.now() - started;
        coldStartCpuMs = (sampleProc(pid)?.cpuSec ?? 0) * 1000;
        break;
      }
      if (performance.now() - started > 60_000) throw new Error(`no health answer: ${t.tail()}`);
      await sleep(5);
    }
    await sleep(IDLE_SETTLE_MS);
    const idleRssMb = sampleProc(pid)?.rssMb ?? 0;

    const token = (await api(`${url}/api/collections/_superusers/auth-with-password`, 'POST', { identity: EMAIL, password: PASSWORD })).token as string;
    await api(`${url}/api/collections`, 'POST', { name: 'items', type: 'base', listRule: '', viewRule: '', createRule: '', fields: [{ name: 'title', type: 'text' }, { name: 'n', type: 'number' }] }, token);
    let peak = 0;
    let requests = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, sampleProc(pid)?.rssMb ?? 0)), 100);
    const until = performance.now() + LOAD_MS;
    await Promise.all(
      Array.from({ length: LOAD_CLIENTS }, async (_, c) => {
        for (let i = 0; performance.now() < until; i++) {
          if (i % 4 === 0) await api(`${url}/api/collections/items/records`, 'POST', { title: `c${c}-${i}`, n: i });
          else await api(`${url}/api/collections/items/records?perPage=50&sort=-n&filter=${encodeURIComponent(`n >= ${i % 50}`)}`, 'GET');
          requests += 1;
        }
      }),
    );
    clearInterval(sampler);
    await stopTracked(t);
    return { coldStartMs, coldStartCpuMs, idleRssMb, loadedRssMb: peak, loadedRequests: requests };
  } finally {
    removeTempDir(dir);
  }
}

export async function measureFootprint(log: (m: string) => void): Promise<FootprintRow[]> {
  build('build.ts', log);
  build('build-binary.ts', log);
  const node = process.execPath;
  const forms: Form[] = [
    { form: 'source', cmd: node, args: [join(ROOT, 'cli', 'bin', 'hearth.js')], file: null, command: 'node cli/bin/hearth.js serve' },
    { form: 'bundle', cmd: node, args: [...SERVER_NODE_FLAGS, join(ROOT, 'dist', 'hearth.cjs')], file: join(ROOT, 'dist', 'hearth.cjs'), command: 'npm start (node <heap flags> dist/hearth.cjs serve)' },
    { form: 'binary', cmd: join(ROOT, 'dist', 'hearth-linux-x64'), args: [], file: join(ROOT, 'dist', 'hearth-linux-x64'), command: 'dist/hearth-linux-x64 serve' },
  ];
  const rows: FootprintRow[] = [];
  for (const f of forms) {
    const runs = [];
    for (let i = 0; i < FOOTPRINT_RUNS; i++) {
      log(`footprint: ${f.form} run ${i + 1}/${FOOTPRINT_RUNS}`);
      runs.push(await measureOnce(f));
    }
    rows.push({
      form: f.form,
      command: f.command,
      sizeMb: f.file ? statSync(f.file).size / 1024 / 1024 : null,
      coldStartMs: median(runs.map((r) => r.coldStartMs)),
      coldStartCpuMs: median(runs.map((r) => r.coldStartCpuMs)),
      idleRssMb: median(runs.map((r) => r.idleRssMb)),
      loadedRssMb: median(runs.map((r) => r.loadedRssMb)),
      loadedRequests: median(runs.map((r) => r.loadedRequests)),
    });
  }
  return rows;
}

export const FOOTPRINT_HEADERS = ['form', 'size MB', 'cold start ms', 'cold start CPU ms', 'idle RSS MB', 'loaded RSS MB', 'requests in load'];

export function footprintRows(rows: FootprintRow[]): string[][] {
  return rows.map((r) => [
    r.form,
    r.sizeMb === null ? '—' : r.sizeMb.toFixed(1),
    r.coldStartMs.toFixed(0),
    r.coldStartCpuMs.toFixed(0),
    r.idleRssMb.toFixed(0),
    r.loadedRssMb.toFixed(0),
    String(r.loadedRequests),
  ]);
}

export const FOOTPRINT_NOTE = `Cold start: spawn until the first 200 from /api/health on a fresh data dir (creating data.db and running migrations); CPU ms is the process's user+system time by then, which is what a loaded machine stretches less. Idle RSS ${IDLE_SETTLE_MS / 1000} s after start; loaded RSS is the peak during ${LOAD_MS / 1000} s of ${LOAD_CLIENTS} client loops (3 filtered lists per create). Medians of ${FOOTPRINT_RUNS} starts.`;
