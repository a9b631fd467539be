/**
 * Server resource use from /proc (Linux): CPU ticks (utime+stime, all threads) from
 * /proc/<pid>/stat and resident memory from /proc/<pid>/status, sampled before/after each round.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ProcSample {
  /** user+system CPU time in seconds */
  cpuSec: number;
  rssMb: number;
  /** monotonic wall clock, seconds */
  at: number;
}

let ticksPerSec: number | undefined;
export function clockTicks(): number {
  if (ticksPerSec === undefined) {
    try {
      ticksPerSec = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSec = 100;
    }
  }
  return ticksPerSec;
}

/** null when /proc is unavailable (not Linux) or the process is gone. */
export function sampleProc(pid: number): ProcSample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (comm) may contain spaces: count from the last ')'. utime/stime are fields 14/15.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(rest[11]) + Number(rest[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { cpuSec: ticks / clockTicks(), rssMb: rssKb / 1024, at: performance.now() / 1000 };
  } catch {
    return null;
  }
}

/** CPU use between two samples as % of one core, and RSS at the end. */
export function usageBetween(a: ProcSample | null, b: ProcSample | null): { cpuPct: number; rssMb: number } {
  if (!a || !b || b.at <= a.at) return { cpuPct: Number.NaN, rssMb: b?.rssMb ?? Number.NaN };
  return { cpuPct: ((b.cpuSec - a.cpuSec) / (b.at - a.at)) * 100, rssMb: b.rssMb };
}
