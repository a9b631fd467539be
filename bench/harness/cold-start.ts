/**
 * Cold start of `hearth serve --workers N` from the sources: spawn on a fresh data dir (so
 * migrations and the system collections are part of it) until the banner says every worker
 * listens, with the CPU time each process had used by then (the primary's separately: it should
 * be a small part) and the primary's resident memory. One unmeasured start first fills the
 * compile cache, as a server that has run once before has it.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from './ports.ts';
import { sampleProc } from './proc-stats.ts';
import { makeTempDir, removeTempDir, spawnTracked, stopTracked } from './processes.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const START_TIMEOUT_MS = 120_000;

export interface ColdStart {
  workers: number;
  /** spawn → "Hearth is serving on" (every worker listening) */
  wallMs: number;
  /** CPU of the primary and every worker by then (the lone process for 1) */
  totalCpuMs: number;
  /** the primary's own CPU and RSS by then (null for 1 worker) */
  primaryCpuMs: number | null;
  primaryRssMb: number | null;
}

const childrenOf = (pid: number): number[] => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
};

/** One start of `hearth serve --workers N` from the checkout at `root` (default: this one). */
export async function coldStartOnce(workers: number, root = ROOT): Promise<ColdStart> {
  const dir = makeTempDir(`cold-${workers}`);
  const port = await freePort();
  const t0 = performance.now();
  const t = spawnTracked(`cold-start-${workers}`, process.execPath, [join(root, 'cli', 'bin', 'hearth.js'), 'serve', '--http', `127.0.0.1:${port}`, '--dir', dir, '--workers', String(workers)], {
    cwd: root,
    env: { ...process.env, HEARTH_LOG_LEVEL: 'warn' },
  });
  try {
    const wallMs = await new Promise<number>((ok, fail) => {
      let out = '';
      const timer = setTimeout(() => fail(new Error(`no banner after ${START_TIMEOUT_MS} ms: ${t.tail()}`)), START_TIMEOUT_MS);
      t.child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Hearth is serving on')) {
          clearTimeout(timer);
          ok(performance.now() - t0);
        }
      });
      void t.exited.then((code) => fail(new Error(`serve exited (${code}) before listening: ${t.tail()}`)));
    });
    const rootPid = t.child.pid!;
    const primary = sampleProc(rootPid);
    const kids = workers === 1 ? [] : childrenOf(rootPid).map((p) => sampleProc(p)?.cpuSec ?? 0);
    const primaryCpuMs = (primary?.cpuSec ?? Number.NaN) * 1000;
    return {
      workers,
      wallMs,
      totalCpuMs: primaryCpuMs + kids.reduce((a, s) => a + s * 1000, 0),
      primaryCpuMs: workers === 1 ? null : primaryCpuMs,
      primaryRssMb: workers === 1 ? null : (primary?.rssMb ?? Number.NaN),
    };
  } finally {
    await stopTracked(t, 15_000);
    removeTempDir(dir);
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Medians of `runs` starts per worker count, starts interleaved. */
export async function measureColdStarts(counts: number[], runs: number, log: (m: string) => void): Promise<ColdStart[]> {
  await coldStartOnce(1);
  const all = new Map<number, ColdStart[]>(counts.map((c) => [c, []]));
  for (let i = 0; i < runs; i++) {
    for (const c of i % 2 === 0 ? counts : [...counts].reverse()) {
      const r = await coldStartOnce(c);
      log(`cold start --workers ${c}: ${r.wallMs.toFixed(0)} ms, ${r.totalCpuMs.toFixed(0)} CPU ms${r.primaryCpuMs === null ? '' : ` (primary ${r.primaryCpuMs.toFixed(0)})`}`);
      all.get(c)!.push(r);
    }
  }
  return counts.map((c) => {
    const rs = all.get(c)!;
    const pick = (f: (r: ColdStart) => number | null): number | null => (rs[0] && f(rs[0]) === null ? null : median(rs.map((r) => f(r) ?? 0)));
    return { workers: c, wallMs: pick((r) => r.wallMs)!, totalCpuMs: pick((r) => r.totalCpuMs)!, primaryCpuMs: pick((r) => r.primaryCpuMs), primaryRssMb: pick((r) => r.primaryRssMb) };
  });
}
