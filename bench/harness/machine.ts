/** The machine a run happened on, as stated in the report and docs/benchmarks.md. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import type { LoadTool } from './load.ts';

export interface Machine {
  cpus: number;
  model: string;
  memoryGb: number;
  node: string;
  loadgen: string;
}

function cpuModel(): string {
  try {
    return /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function loadgenVersion(tool: LoadTool): string {
  if (tool === 'autocannon') {
    const pkg = JSON.parse(readFileSync(new URL('../../node_modules/autocannon/package.json', import.meta.url), 'utf8')) as { version: string };
    return `autocannon ${pkg.version}`;
  }
  try {
    execFileSync('wrk', ['--version'], { encoding: 'utf8', stdio: 'pipe' });
  } catch (err) {
    const out = String((err as { stdout?: string }).stdout ?? '');
    return out.split('\n')[0]?.split(' Copyright')[0]?.trim() || 'wrk';
  }
  return 'wrk';
}

export function describeMachine(tool: LoadTool): Machine {
  return {
    cpus: availableParallelism(),
    model: cpuModel(),
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    loadgen: loadgenVersion(tool),
  };
}
