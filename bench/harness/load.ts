/**
 * Runs one load phase against a URL in a separate process — wrk when installed (C, µs latency
 * resolution, cheapest on the CPU the server also needs) or autocannon in a forked Node process —
 * and returns the same summary for both. The generator's own CPU is sampled from /proc too.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadShape, RequestSpec } from '../scenarios/index.ts';
import { spawnTracked, type Tracked } from './processes.ts';
import { sampleProc, usageBetween, type ProcSample } from './proc-stats.ts';

export type LoadTool = 'wrk' | 'autocannon';

export interface LoadJob {
  url: string;
  connections: number;
  /** wrk threads (autocannon is single-threaded here) */
  threads: number;
  shape: LoadShape;
  requests: RequestSpec[];
  /** where request files are written */
  workDir: string;
}

export interface LoadResult {
  tool: LoadTool;
  /** completed responses */
  requests: number;
  non2xx: number;
  /** socket errors and timeouts */
  errors: number;
  durationSec: number;
  /** successful (2xx) responses per second */
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  /** CPU of the load generator, % of one core */
  loadgenCpuPct: number;
}

export function pickTool(preference: 'auto' | LoadTool): LoadTool {
  if (preference !== 'auto') return preference;
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return 'wrk';
  } catch (err) {
    // wrk --version exits 1 after printing; only a missing binary throws ENOENT.
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'autocannon' : 'wrk';
  }
}

/** Samples the generator's CPU every 100 ms; the last sample before exit is close to the total. */
async function withCpu<T>(t: Tracked, result: Promise<T>): Promise<{ value: T; cpuPct: number }> {
  const pid = t.child.pid!;
  const first = sampleProc(pid);
  let last: ProcSample | null = first;
  const timer = setInterval(() => {
    last = sampleProc(pid) ?? last;
  }, 100);
  try {
    const value = await result;
    return { value, cpuPct: usageBetween(first, last).cpuPct };
  } finally {
    clearInterval(timer);
  }
}

async function runWrk(job: LoadJob): Promise<LoadResult> {
  const file = join(job.workDir, `requests-${process.hrtime.bigint()}.tsv`);
  writeFileSync(file, job.requests.map((r) => `${r.method}\t${r.path}\t${r.auth ?? ''}\t${r.body ?? ''}`).join('\n') + '\n');
  const threads = Math.max(1, Math.min(job.threads, job.connections));
  const amount = 'amount' in job.shape ? Math.ceil(job.shape.amount / threads) : 0;
  // wrk takes whole seconds; an amount phase also ends at maxSec (wrk's own -d).
  const seconds = `${Math.max(1, Math.round('durationSec' in job.shape ? job.shape.durationSec : job.shape.maxSec))}s`;
  const script = join(import.meta.dirname, 'wrk-script.lua');
  const args = ['-t', String(threads), '-c', String(job.connections), '-d', seconds, '--timeout', '10s', '-s', script, job.url, '--', file, String(amount), String(threads)];
  const t = spawnTracked('wrk', 'wrk', args);
  if (amount > 0) {
    let reached = 0;
    t.child.stdout!.on('data', (chunk: Buffer) => {
      reached += chunk.toString().split('WRK_AMOUNT_REACHED').length - 1;
      if (reached >= threads) t.child.kill('SIGINT');
    });
  }
  const { value: code, cpuPct } = await withCpu(t, t.exited);
  const line = t.tail().split('\n').reverse().find((l) => l.startsWith('{"requests"'));
  if (code !== 0 || !line) throw new Error(`wrk failed (${code}): ${t.tail()}`);
  const r = JSON.parse(line) as Record<string, number>;
  const non2xx = amount > 0 ? r.non2xx! : r.status4xx5xx!;
  const durationSec = r.durationUs! / 1e6;
  return {
    tool: 'wrk',
    requests: r.requests!,
    non2xx,
    errors: r.socketErrors! + r.timeouts!,
    durationSec,
    rps: (r.requests! - non2xx) / durationSec,
    p50: r.p50! / 1000,
    p90: r.p90! / 1000,
    p99: r.p99! / 1000,
    loadgenCpuPct: cpuPct,
  };
}

async function runAutocannon(job: LoadJob): Promise<LoadResult> {
  const file = join(job.workDir, `job-${process.hrtime.bigint()}.json`);
  writeFileSync(file, JSON.stringify(job));
  const worker = join(import.meta.dirname, 'autocannon-worker.ts');
  const t = spawnTracked('autocannon', process.execPath, [worker, file]);
  const { value: code, cpuPct } = await withCpu(t, t.exited);
  const line = t.tail().split('\n').reverse().find((l) => l.startsWith('{"tool"'));
  if (code !== 0 || !line) throw new Error(`autocannon worker failed (${code}): ${t.tail()}`);
  return { ...(JSON.parse(line) as LoadResult), loadgenCpuPct: cpuPct };
}

export function runLoad(tool: LoadTool, job: LoadJob): Promise<LoadResult> {
  return tool === 'wrk' ? runWrk(job) : runAutocannon(job);
}
