/**
 * Where the machine's CPU went during a load round (Linux /proc): each serving process (the lone
 * server, or a cluster's primary and every worker, found through the /proc children lists),
 * and the whole machine from /proc/stat, so what other processes used shows beside the load
 * generator's and the server's own share.
 */
import { readFileSync } from 'node:fs';
import { clockTicks, sampleProc } from './proc-stats.ts';

const readChildren = (pid: number): number[] => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
};

export const parentOf = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
};

/** The processes serving, labelled: `server` alone, or `primary`, `w1`, `w2`… of a cluster. */
export function servingProcesses(serverPid: number, workers: number): Array<{ label: string; pid: number }> {
  if (workers === 1) return [{ label: 'server', pid: serverPid }];
  const primary = parentOf(serverPid);
  return [{ label: 'primary', pid: primary }, ...readChildren(primary).map((pid, i) => ({ label: `w${i + 1}`, pid }))];
}

/** Busy and total CPU seconds of the whole machine since boot (all cores), from /proc/stat. */
export function machineCpu(): { busySec: number; totalSec: number } | null {
  const ticksPerSec = clockTicks();
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest is inside user)
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number) as number[];
    const busy = user! + nice! + system! + irq! + softirq! + steal!;
    return { busySec: busy / ticksPerSec, totalSec: (busy + idle! + iowait!) / ticksPerSec };
  } catch {
    return null;
  }
}

export interface CpuWindow {
  /** CPU seconds per serving process over the window, by label. */
  perProcess: Array<{ label: string; cpuSec: number }>;
  serverCpuSec: number;
  /** Every process of the machine together, CPU seconds over the window. */
  machineBusySec: number | null;
  wallSec: number;
}

/** Starts a window over `procs`; the returned function ends it. */
export function openCpuWindow(procs: Array<{ label: string; pid: number }>): () => CpuWindow {
  const first = procs.map((p) => sampleProc(p.pid)?.cpuSec ?? Number.NaN);
  const m0 = machineCpu();
  const t0 = performance.now();
  return () => {
    const wallSec = (performance.now() - t0) / 1000;
    const m1 = machineCpu();
    const perProcess = procs.map((p, i) => ({ label: p.label, cpuSec: (sampleProc(p.pid)?.cpuSec ?? Number.NaN) - first[i]! }));
    return {
      perProcess,
      serverCpuSec: perProcess.reduce((a, p) => a + p.cpuSec, 0),
      machineBusySec: m0 && m1 ? m1.busySec - m0.busySec : null,
      wallSec,
    };
  };
}
