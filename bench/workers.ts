/**
 * `npm run bench:workers [-- --quick] [--rounds N]`: Hearth on `--workers 2` against `--workers 1`
 * on the get-by-id and list-filter scenarios of `npm run bench` (same dataset, harness and load
 * generator), rounds interleaved. Server CPU is summed over the primary and its workers; the
 * load generator's own CPU is reported beside it, so a saturated generator shows. The machine's
 * load average is printed before and after: on a shared machine the figures are indicative.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { SCENARIOS } from './scenarios/index.ts';
import { generateDataset } from './scenarios/dataset.ts';
import { countFor, datasetSizes, PLANS, poolOffset, shapeOf } from './harness/plan.ts';
import { pickTool, runLoad } from './harness/load.ts';
import { cleanupAll, installCleanupHandlers, makeTempDir, removeTempDir } from './harness/processes.ts';
import { sampleProc, type ProcSample } from './harness/proc-stats.ts';
import { startHearth } from './harness/target-hearth.ts';
import type { Target } from './harness/target.ts';

const SCENARIO_IDS = ['get-by-id', 'list-filter'];
const WORKER_COUNTS = [1, 2];

const parentOf = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
};
const childrenOf = (pid: number): number[] => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
};

/** The processes serving: the lone server, or a cluster's primary and its workers. */
function servingPids(t: Target, workers: number): number[] {
  if (workers === 1) return [t.serverPid];
  const primary = parentOf(t.serverPid);
  return [primary, ...childrenOf(primary)];
}

const cpuOf = (pids: number[]): ProcSample[] => pids.map((p) => sampleProc(p)).filter((s): s is ProcSample => s !== null);
const cpuSec = (samples: ProcSample[]): number => samples.reduce((a, s) => a + s.cpuSec, 0);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, rounds: { type: 'string' }, loadgen: { type: 'string', default: 'auto' } } });
  installCleanupHandlers();
  const plan = { ...(values.quick ? PLANS.quick : PLANS.full) };
  if (values.rounds) plan.rounds = Number(values.rounds);
  const tool = pickTool(values.loadgen as 'auto' | 'wrk' | 'autocannon');
  const log = (m: string): void => void process.stderr.write(`[bench:workers ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
  const scenarios = SCENARIOS.filter((s) => SCENARIO_IDS.includes(s.id));
  const data = generateDataset(datasetSizes(plan, undefined), 42);
  const workDir = makeTempDir('work');
  const before = loadavg()[0]!;
  const targets: Array<{ workers: number; t: Target }> = [];
  try {
    for (const workers of WORKER_COUNTS) {
      log(`starting hearth --workers ${workers}…`);
      targets.push({ workers, t: await startHearth({ data, dataset: { sizes: datasetSizes(plan, undefined), seed: 42 }, log, workers }) });
    }
    const rows: string[] = [];
    const rps = new Map<string, number[]>();
    for (const [si, s] of scenarios.entries()) {
      for (let round = 0; round <= plan.rounds; round++) {
        // Round 0 warms up; the order alternates per round so drift hits both alike.
        const order = round % 2 === 0 ? targets : [...targets].reverse();
        for (const { workers, t } of order) {
          const requests = s.build({ data, tokens: t.tokens, count: countFor(plan, s, round), offset: poolOffset(plan, s, round), seed: 42_000 + si * 100 + round });
          const pids = servingPids(t, workers);
          const a = cpuOf(pids);
          const t0 = performance.now();
          const r = await runLoad(tool, { url: t.url, connections: plan.connections, threads: 1, shape: shapeOf(plan, s, round), requests, workDir });
          const wall = (performance.now() - t0) / 1000;
          const serverCpu = ((cpuSec(cpuOf(pids)) - cpuSec(a)) / wall) * 100;
          if (round === 0) continue;
          const key = `${s.id}/${workers}`;
          rps.set(key, [...(rps.get(key) ?? []), r.rps]);
          rows.push(`${s.id.padEnd(12)} ${String(workers).padStart(7)} ${String(round).padStart(5)} ${r.rps.toFixed(0).padStart(8)} ${r.p50.toFixed(2).padStart(7)} ${r.p99.toFixed(2).padStart(7)} ${serverCpu.toFixed(0).padStart(10)} ${r.loadgenCpuPct.toFixed(0).padStart(11)} ${String(r.non2xx + r.errors).padStart(6)}`);
          log(`${s.id} round ${round} workers ${workers}: ${r.rps.toFixed(0)} req/s, server cpu ${serverCpu.toFixed(0)}%, loadgen cpu ${r.loadgenCpuPct.toFixed(0)}%`);
        }
      }
    }
    const after = loadavg()[0]!;
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    process.stdout.write(`\nload generator ${tool}, ${plan.connections} connections, ${plan.rounds} rounds; load average ${before.toFixed(2)} before, ${after.toFixed(2)} after\n`);
    process.stdout.write('scenario     workers round    req/s  p50 ms  p99 ms server cpu% loadgen cpu%  fails\n');
    process.stdout.write(rows.join('\n') + '\n\n');
    for (const s of scenarios) {
      const one = median(rps.get(`${s.id}/1`) ?? [NaN]);
      const two = median(rps.get(`${s.id}/2`) ?? [NaN]);
      process.stdout.write(`${s.id}: --workers 2 / --workers 1 = ${(two / one).toFixed(2)}× (median req/s ${two.toFixed(0)} vs ${one.toFixed(0)})\n`);
    }
  } finally {
    await Promise.all(targets.map(({ t }) => t.stop()));
    removeTempDir(workDir);
  }
}

main().then(
  () => cleanupAll(),
  async (err: unknown) => {
    process.stderr.write(`bench:workers: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    await cleanupAll();
    process.exitCode = 1;
  },
);
