/**
 * `npm run bench:workers [-- --quick] [--rounds N] [--cold-starts N]`: Hearth on `--workers 2`
 * against `--workers 1` on the get-by-id and list-filter scenarios of `npm run bench` (same
 * dataset, harness and load generator), rounds interleaved, then the cold start of both.
 *
 * Each round says where the machine's CPU went: every serving process (the primary and each
 * worker), the load generator (wrk with one thread: at ~100 % of a core it is the bottleneck,
 * and the row says so) and everything else on the machine (from /proc/stat). Requests per
 * server CPU-second show whether a second worker costs efficiency or only needs a free core.
 * Both counts run the sources with the deployed node options (a cluster's primary gives them to
 * its workers, so the single process gets them too). The load average is printed before and
 * after, and a ratio line says so when other processes took a large share of the machine: then
 * the figures are indicative.
 */
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { SCENARIOS } from './scenarios/index.ts';
import { generateDataset, type Dataset } from './scenarios/dataset.ts';
import { countFor, datasetSizes, PLANS, poolOffset, shapeOf, type Plan } from './harness/plan.ts';
import { pickTool, runLoad, type LoadTool } from './harness/load.ts';
import { cleanupAll, installCleanupHandlers, makeTempDir, removeTempDir } from './harness/processes.ts';
import { openCpuWindow, servingProcesses } from './harness/cpu-accounting.ts';
import { measureColdStarts } from './harness/cold-start.ts';
import { startHearth } from './harness/target-hearth.ts';
import { SERVER_NODE_FLAGS } from '../scripts/node-flags.ts';
import type { Target } from './harness/target.ts';

const SCENARIO_IDS = ['get-by-id', 'list-filter'];
const WORKER_COUNTS = [1, 2];
/** A single-threaded generator at this share of a core or more is what limits the round. */
const LOADGEN_SATURATED_PCT = 90;
/** What two workers should do over one (issue target), per scenario. */
const TARGET_RATIO = 1.5;
/** Other processes using this share of a core or more in a round make its ratio the machine's. */
const OTHER_BUSY_PCT = 50;

interface Round {
  scenario: string;
  workers: number;
  round: number;
  rps: number;
  p50: number;
  p99: number;
  /** % of one core, by process label */
  perProcess: Array<{ label: string; pct: number }>;
  serverPct: number;
  loadgenPct: number;
  /** everything else on the machine, % of one core */
  otherPct: number;
  /** successful requests per CPU-second of the server (all its processes) and of the generator */
  perServerCpuSec: number;
  perLoadgenCpuSec: number;
  fails: number;
}

const pct = (sec: number, wall: number): number => (sec / wall) * 100;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const f0 = (n: number): string => (Number.isFinite(n) ? n.toFixed(0) : 'n/a');

async function measureRounds(targets: Array<{ workers: number; t: Target }>, data: Dataset, plan: Plan, tool: LoadTool, log: (m: string) => void): Promise<Round[]> {
  const workDir = makeTempDir('work');
  const rounds: Round[] = [];
  try {
    for (const [si, s] of SCENARIOS.filter((x) => SCENARIO_IDS.includes(x.id)).entries()) {
      for (let round = 0; round <= plan.rounds; round++) {
        // Round 0 warms up; the order alternates per round so drift hits both alike.
        const order = round % 2 === 0 ? targets : [...targets].reverse();
        for (const { workers, t } of order) {
          const requests = s.build({ data, tokens: t.tokens, count: countFor(plan, s, round), offset: poolOffset(plan, s, round), seed: 42_000 + si * 100 + round });
          const close = openCpuWindow(servingProcesses(t.serverPid, workers));
          const self0 = process.cpuUsage();
          const r = await runLoad(tool, { url: t.url, connections: plan.connections, threads: 1, shape: shapeOf(plan, s, round), requests, workDir });
          const w = close();
          const self = process.cpuUsage(self0);
          if (round === 0) continue;
          // The generator's % is over its whole life (the window, start-up included); the server
          // works only while the load runs, so its % is over the load phase.
          const loadgenSec = (r.loadgenCpuPct / 100) * w.wallSec;
          const ok = r.rps * r.durationSec;
          const otherSec = w.machineBusySec === null ? Number.NaN : w.machineBusySec - w.serverCpuSec - loadgenSec - (self.user + self.system) / 1e6;
          const row: Round = {
            scenario: s.id,
            workers,
            round,
            rps: r.rps,
            p50: r.p50,
            p99: r.p99,
            perProcess: w.perProcess.map((p) => ({ label: p.label, pct: pct(p.cpuSec, r.durationSec) })),
            serverPct: pct(w.serverCpuSec, r.durationSec),
            loadgenPct: r.loadgenCpuPct,
            otherPct: pct(Math.max(0, otherSec), w.wallSec),
            perServerCpuSec: ok / w.serverCpuSec,
            perLoadgenCpuSec: ok / loadgenSec,
            fails: r.non2xx + r.errors,
          };
          rounds.push(row);
          const sat = row.loadgenPct >= LOADGEN_SATURATED_PCT ? ' (generator saturated)' : '';
          log(`${s.id} round ${round} workers ${workers}: ${f0(row.rps)} req/s, server ${f0(row.serverPct)}% [${row.perProcess.map((p) => `${p.label} ${f0(p.pct)}`).join(', ')}], wrk ${f0(row.loadgenPct)}%${sat}, other ${f0(row.otherPct)}%`);
        }
      }
    }
  } finally {
    removeTempDir(workDir);
  }
  return rounds;
}

function report(rounds: Round[], header: string): string {
  const out: string[] = [header, '', '| scenario | workers | round | req/s | p50 ms | p99 ms | server CPU % (per process) | wrk CPU % | other CPU % | req per server CPU-s | req per wrk CPU-s | fails |', '| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |'];
  for (const r of rounds) {
    const procs = r.perProcess.map((p) => `${p.label} ${f0(p.pct)}`).join(', ');
    const sat = r.loadgenPct >= LOADGEN_SATURATED_PCT ? ' (saturated)' : '';
    out.push(`| ${r.scenario} | ${r.workers} | ${r.round} | ${f0(r.rps)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${f0(r.serverPct)} (${procs}) | ${f0(r.loadgenPct)}${sat} | ${f0(r.otherPct)} | ${f0(r.perServerCpuSec)} | ${f0(r.perLoadgenCpuSec)} | ${r.fails} |`);
  }
  out.push('');
  for (const id of SCENARIO_IDS) {
    const of = (w: number): Round[] => rounds.filter((r) => r.scenario === id && r.workers === w);
    const [one, two] = [of(1), of(2)];
    if (!one.length || !two.length) continue;
    const m = (rs: Round[], f: (r: Round) => number): number => median(rs.map(f));
    const saturated = two.filter((r) => r.loadgenPct >= LOADGEN_SATURATED_PCT).length;
    const ratio = m(two, (r) => r.rps) / m(one, (r) => r.rps);
    const otherMax = Math.max(...[...one, ...two].map((r) => r.otherPct));
    const busy = otherMax >= OTHER_BUSY_PCT ? ` — other processes took up to ${f0(otherMax)} % of a core in these rounds, so the ratio is the machine's, not the server's` : '';
    out.push(
      `${id}: --workers 2 / --workers 1 = **${ratio.toFixed(2)}×** ${ratio >= TARGET_RATIO ? '✓' : '✗'} (≥ ${TARGET_RATIO}×; median req/s ${f0(m(two, (r) => r.rps))} vs ${f0(m(one, (r) => r.rps))}); ` +
        `server CPU ${f0(m(two, (r) => r.serverPct))}% vs ${f0(m(one, (r) => r.serverPct))}%; req per server CPU-s ${f0(m(two, (r) => r.perServerCpuSec))} vs ${f0(m(one, (r) => r.perServerCpuSec))}; ` +
        `wrk ${f0(m(two, (r) => r.loadgenPct))}% vs ${f0(m(one, (r) => r.loadgenPct))}%${saturated ? ` (saturated in ${saturated} of ${two.length} rounds on 2 workers)` : ''}; other ${f0(m(two, (r) => r.otherPct))}% vs ${f0(m(one, (r) => r.otherPct))}%${busy}`,
    );
  }
  return out.join('\n') + '\n';
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      loadgen: { type: 'string', default: 'auto' },
      'cold-starts': { type: 'string', default: '3' },
    },
  });
  installCleanupHandlers();
  const plan = { ...(values.quick ? PLANS.quick : PLANS.full) };
  if (values.rounds) plan.rounds = Number(values.rounds);
  const tool = pickTool(values.loadgen as 'auto' | 'wrk' | 'autocannon');
  const log = (m: string): void => void process.stderr.write(`[bench:workers ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
  const sizes = datasetSizes(plan, undefined);
  const data = generateDataset(sizes, 42);
  const before = loadavg();
  const targets: Array<{ workers: number; t: Target }> = [];
  let rounds: Round[] = [];
  try {
    for (const workers of WORKER_COUNTS) {
      log(`starting hearth --workers ${workers}…`);
      // Both counts with the same node options: a cluster's primary gives its workers the deployed
      // heap flags (server/src/cluster/worker-process.ts), so the single process gets them too.
      targets.push({ workers, t: await startHearth({ data, dataset: { sizes, seed: 42 }, log, workers, nodeFlags: SERVER_NODE_FLAGS }) });
    }
    rounds = await measureRounds(targets, data, plan, tool, log);
  } finally {
    await Promise.all(targets.map(({ t }) => t.stop()));
  }
  const mid = loadavg();
  const coldRuns = Number(values['cold-starts']);
  const cold = coldRuns > 0 ? await measureColdStarts(WORKER_COUNTS, coldRuns, log) : [];
  const after = loadavg();
  const la = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' / ');
  const header =
    `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${availableParallelism()} cores, ${tool} (1 thread), ${plan.connections} connections, ${plan.rounds} round${plan.rounds === 1 ? '' : 's'} of ${plan.readSec} s; ` +
    `load average (1/5/15 min) ${la(before)} before, ${la(mid)} after the rounds`;
  process.stdout.write('\n' + report(rounds, header));
  if (cold.length) {
    process.stdout.write(`\ncold start (fresh data dir, medians of ${coldRuns}; load average ${la(after)} after):\n\n| workers | until every worker listens ms | CPU ms, all processes | primary CPU ms | primary RSS MB |\n| ---: | ---: | ---: | ---: | ---: |\n`);
    for (const c of cold) process.stdout.write(`| ${c.workers} | ${f0(c.wallMs)} | ${f0(c.totalCpuMs)} | ${c.primaryCpuMs === null ? '—' : f0(c.primaryCpuMs)} | ${c.primaryRssMb === null ? '—' : f0(c.primaryRssMb)} |\n`);
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
