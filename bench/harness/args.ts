/** `npm run bench -- [flags]`: parses the command line into run options (see --help). */
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { SCENARIOS } from '../scenarios/index.ts';
import { PLANS, type Plan } from './plan.ts';
import { TARGET_NAMES, type TargetName } from './target.ts';

export const USAGE = `usage: npm run bench -- [--quick] [--targets raw,hono,hearth] [--scenarios ${SCENARIOS.map((s) => s.id).join(',')}]
       [--rounds N] [--connections N] [--loadgen auto|wrk|autocannon] [--cpu-prof DIR] [--no-docs] [--help]
  --quick        short run (1 round, small amounts); does not touch docs/benchmarks.md
  --targets      which servers to run (default all three); ratios need hearth and a baseline
  --scenarios    which scenarios (default all)
  --loadgen      wrk when installed, else autocannon (default auto)
  --cpu-prof DIR run every server with --cpu-prof writing .cpuprofile files into DIR
  --no-docs      do not update docs/benchmarks.md after a full run`;

export interface CliOptions {
  plan: Plan;
  targets: TargetName[];
  scenarios: string[];
  loadgen: 'auto' | 'wrk' | 'autocannon';
  threads: number;
  cpuProfDir?: string;
  updateDocs: boolean;
  help: boolean;
}

function list<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T[] {
  if (!value) return [...allowed];
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
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const plan: Plan = { ...PLANS[values.quick ? 'quick' : 'full'] };
  if (values.rounds) plan.rounds = Math.max(1, Number(values.rounds) | 0);
  if (values.connections) plan.connections = Math.max(1, Number(values.connections) | 0);
  const [loadgen] = list(values.loadgen, ['auto', 'wrk', 'autocannon'] as const, 'load generator');
  return {
    plan,
    targets: list(values.targets, TARGET_NAMES, 'target'),
    scenarios: list(values.scenarios, SCENARIOS.map((s) => s.id), 'scenario'),
    loadgen: loadgen!,
    // The server is single-threaded: leave it one core, give the load generator the rest.
    threads: Math.max(1, availableParallelism() - 1),
    // Absolute: Hearth runs with the repo as cwd, the harness may not.
    cpuProfDir: values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined,
    updateDocs: !values.quick && !values['no-docs'],
    help: values.help,
  };
}
