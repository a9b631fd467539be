/**
 * The benchmark loop: start every target on the same dataset, then per scenario preflight and
 * warm each target, then measured rounds with the target order rotated each round (interleaved,
 * so drift on a shared machine hits all targets alike), sampling the server's /proc before/after.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { SCENARIOS, type Scenario } from '../scenarios/index.ts';
import { generateDataset } from '../scenarios/dataset.ts';
import { FANOUT_ID, NONMATCHING_ID } from '../scenarios/fanout.ts';
import { runFanout, type FanoutResult } from './fanout.ts';
import { countFor, datasetSizes, poolOffset, shapeOf, type Plan } from './plan.ts';
import { runLoad, type LoadTool } from './load.ts';
import { makeTempDir, removeTempDir } from './processes.ts';
import { sampleProc, usageBetween } from './proc-stats.ts';
import { failureOf, medianFigures, type RoundFigures } from './stats.ts';
import { isHearth, TargetUnavailable, type StartOptions, type Target, type TargetName } from './target.ts';
import { startBaseline } from './target-baseline.ts';
import { startHearth } from './target-hearth.ts';

export interface RunOptions {
  plan: Plan;
  targets: TargetName[];
  scenarios: string[];
  tool: LoadTool;
  threads: number;
  /** servers run with --cpu-prof into this dir */
  cpuProfDir?: string;
  seed?: number;
  log(message: string): void;
}

export interface Cell {
  scenario: string;
  target: TargetName;
  rounds: RoundFigures[];
  median: RoundFigures | null;
  /** why there are no figures: "n/a (reason)" */
  na: string | null;
}

/** When a measured round ran (monotonic µs, V8's profile clock), for window-filtered profiles. */
export interface ProfileWindow {
  target: TargetName;
  scenario: string;
  round: number;
  pid: number;
  startUs: number;
  endUs: number;
}

export interface RunResult {
  plan: Plan;
  tool: LoadTool;
  targets: TargetName[];
  scenarios: Array<{ id: string; title: string }>;
  cells: Cell[];
  /** the realtime scenarios (Hearth only), one result per form Hearth ran in, when selected */
  fanout?: FanoutResult[];
  windows: ProfileWindow[];
  startedAt: string;
  finishedAt: string;
}

/** `npm run build` (dist/hearth.cjs, the deployed form), once per run. */
let bundleBuilt = false;
function buildBundle(log: (m: string) => void): void {
  if (bundleBuilt) return;
  log('building dist/hearth.cjs (node scripts/build.ts)…');
  const r = spawnSync(process.execPath, [join(import.meta.dirname, '..', '..', 'scripts', 'build.ts')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scripts/build.ts failed: ${(r.stderr || r.stdout).trim().split('\n').pop()}`);
  bundleBuilt = true;
}

async function startTarget(name: TargetName, opts: StartOptions): Promise<Target> {
  return isHearth(name) ? startHearth(opts, name as 'hearth' | 'hearth-hooks' | 'hearth-pg') : startBaseline(name as 'raw' | 'hono' | 'raw-pg', opts);
}

/** Sends the phase's first request and checks the answer, so a missing feature is one clear line. */
async function preflight(target: Target, s: Scenario, req: ReturnType<Scenario['build']>[number]): Promise<string | null> {
  const headers: Record<string, string> = {};
  if (req.auth) headers.authorization = req.auth;
  if (req.body) headers['content-type'] = 'application/json';
  try {
    const res = await fetch(target.url + req.path, { method: req.method, headers, body: req.body });
    const why = s.check(res.status, await res.text());
    return why && `${req.method} ${req.path} → ${why}`;
  } catch (err) {
    return `${req.method} ${req.path} → ${(err as Error).message}`;
  }
}

export async function runBench(opts: RunOptions): Promise<RunResult> {
  const { plan, log } = opts;
  const startedAt = new Date().toISOString();
  const scenarios = SCENARIOS.filter((s) => opts.scenarios.includes(s.id));
  const seed = opts.seed ?? 42;
  const sizes = datasetSizes(plan, scenarios.find((s) => s.consumesIds));
  const data = generateDataset(sizes, seed);
  const wantRates = opts.scenarios.includes(FANOUT_ID);
  const wantNonMatching = opts.scenarios.includes(NONMATCHING_ID);
  const wantFanout = wantRates || wantNonMatching;
  // Fan-out alone needs no baseline (they have no realtime): do not start and seed them for nothing.
  const targets = scenarios.length === 0 ? opts.targets.filter((t) => t === 'hearth') : opts.targets;
  let fanout: FanoutResult[] | undefined;
  const workDir = makeTempDir('work');
  const cells = new Map<string, Cell>();
  const cell = (s: Scenario, t: TargetName): Cell => cells.get(`${s.id}/${t}`)!;
  for (const s of scenarios) for (const t of targets) cells.set(`${s.id}/${t}`, { scenario: s.id, target: t, rounds: [], median: null, na: null });

  const windows: ProfileWindow[] = [];
  const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);
  const running: Target[] = [];
  try {
    // The realtime scenarios start servers of their own: with nothing else selected, none here.
    for (const name of scenarios.length ? targets : []) {
      log(`starting ${name}…`);
      try {
        running.push(await startTarget(name, { data, dataset: { sizes, seed }, cpuProfDir: opts.cpuProfDir, log }));
      } catch (err) {
        if (!(err instanceof TargetUnavailable)) throw err;
        log(`${name} unavailable: ${err.message}`);
        for (const s of scenarios) cell(s, name).na = `${name} did not start: ${err.message.split('\n')[0]}`;
      }
    }
    for (const [si, s] of scenarios.entries()) {
      const phaseSeed = (phase: number): number => seed * 1000 + si * 100 + phase;
      const build = (t: Target, phase: number) =>
        s.build({ data, tokens: t.tokens, count: countFor(plan, s, phase), offset: poolOffset(plan, s, phase), seed: phaseSeed(phase) });
      const measure = async (t: Target, phase: number, requests: ReturnType<typeof build>): Promise<RoundFigures> => {
        const before = sampleProc(t.serverPid);
        const r = await runLoad(opts.tool, { url: t.url, connections: plan.connections, threads: opts.threads, shape: shapeOf(plan, s, phase), requests, workDir });
        const { cpuPct, rssMb } = usageBetween(before, sampleProc(t.serverPid));
        return { rps: r.rps, p50: r.p50, p90: r.p90, p99: r.p99, cpuPct, reqPerCpuSec: r.rps / (cpuPct / 100), rssMb, loadgenCpuPct: r.loadgenCpuPct, requests: r.requests, non2xx: r.non2xx, errors: r.errors, durationSec: r.durationSec };
      };
      for (const t of running) {
        const list = build(t, 0);
        const why = await preflight(t, s, list[0]!);
        if (why) {
          cell(s, t.name).na = why;
          log(`${s.id} ${t.name}: n/a (${why})`);
          continue;
        }
        // The preflight consumed list[0] when ids are single-use.
        if (plan.warmup) await measure(t, 0, s.consumesIds ? list.slice(1) : list);
      }
      for (let round = 1; round <= plan.rounds; round++) {
        const live = running.filter((t) => !cell(s, t.name).na);
        const order = live.map((_, i) => live[(i + round - 1) % live.length]!);
        for (const t of order) {
          const requests = build(t, round);
          const startUs = nowUs();
          const figures = await measure(t, round, requests);
          windows.push({ target: t.name, scenario: s.id, round, pid: t.serverPid, startUs, endUs: nowUs() });
          const c = cell(s, t.name);
          const failed = failureOf(figures);
          if (failed) c.na = `round ${round}: ${failed}`;
          else c.rounds.push(figures);
          log(`${s.id} round ${round}/${plan.rounds} ${t.name}: ${failed ? `n/a (${failed})` : `${figures.rps.toFixed(0)} req/s, p99 ${figures.p99.toFixed(2)} ms, cpu ${figures.cpuPct.toFixed(0)}%`}`);
        }
      }
      for (const t of running) {
        const c = cell(s, t.name);
        if (!c.na && c.rounds.length) c.median = medianFigures(c.rounds);
      }
    }
    if (wantFanout) {
      fanout = [];
      for (const form of plan.fanout.forms) {
        const base: FanoutResult = {
          id: FANOUT_ID,
          form,
          subscribers: plan.fanout.subscribers,
          users: plan.fanout.users,
          batch: plan.fanout.batch,
          workers: plan.fanout.workers,
          maxInFlight: plan.fanout.maxInFlight,
          durationSec: plan.fanout.durationSec,
          rounds: plan.fanout.rounds,
          rates: [],
          setup: null,
          nonMatching: [],
          memory: [],
          na: null,
        };
        if (!targets.includes('hearth')) {
          fanout.push({ ...base, na: 'needs the hearth target' });
          continue;
        }
        // A server of its own per form: its RSS is the realtime load's, not what earlier scenarios left.
        let hearth: Target | null = null;
        try {
          if (form === 'bundle') buildBundle(log);
          hearth = await startHearth({ data, dataset: { sizes, seed }, cpuProfDir: opts.cpuProfDir, form, seed: false, workers: plan.fanout.workers, log });
          log(`fanout (${form}): ${plan.fanout.subscribers} subscribers over ${plan.fanout.users} users${wantRates ? `, ${plan.fanout.rates.join(' and ')} writes/s` : ''}${wantNonMatching ? `, then ${plan.fanout.nonMatching.levels.join(', ')} non-matching subscriptions` : ''}…`);
          fanout.push(await runFanout(hearth, { plan: plan.fanout, form, rates: wantRates, nonMatching: wantNonMatching, workDir, log, windows }));
        } catch (err) {
          fanout.push({ ...base, na: `hearth (${form}) did not start: ${(err as Error).message.split('\n')[0]}` });
        } finally {
          await hearth?.stop();
        }
      }
    }
  } finally {
    await Promise.all(running.map((t) => t.stop()));
    removeTempDir(workDir);
  }
  return {
    plan,
    tool: opts.tool,
    targets,
    scenarios: scenarios.map((s) => ({ id: s.id, title: s.title })),
    cells: [...cells.values()],
    ...(fanout ? { fanout } : {}),
    windows,
    startedAt,
    finishedAt: new Date().toISOString(),
  };
}
