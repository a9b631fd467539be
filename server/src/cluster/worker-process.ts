/**
 * How the primary starts a worker process: the V8 heap options and the allocator setting every
 * worker runs with, added to what the primary itself was started with (an option the operator
 * gave the primary, e.g. `node --max-old-space-size=… hearth serve`, or an environment variable
 * already set, wins). `npm start` and the bench give a single process the same options
 * (scripts/node-flags.ts). Measured under the realtime fan-out (docs/benchmarks.md, "Memory"):
 *
 * - `--max-semi-space-size=4`: caps the young generation (two semi-spaces); short-lived request
 *   and event objects die there. Without a cap V8 sizes it from the machine's RAM: 80–112 MB of
 *   it under the fan-out on a 24 GB machine, most of it garbage.
 * - `--initial-old-space-size=32`: the first full GC runs once the old generation reaches this,
 *   rather than at a limit derived from the maximum heap (gigabytes). Not a cap.
 * - `--heap-growing-percent=50`: after each full GC the old generation may grow to 1.5× what
 *   survived it before the next one. Left to itself V8 picks the factor from the heap limit and
 *   the allocation rate, up to 4× on a machine with gigabytes of RAM: under the fan-out a worker's
 *   old generation ran to ~100 MB of garbage over ~33 MB of live objects before a full GC.
 *   Not a cap either: the heap grows with what the application keeps alive.
 * - `MALLOC_ARENA_MAX=2`: glibc gives each thread that allocates (V8's GC and compiler threads,
 *   libuv's pool) an arena of its own, up to 8 per core, and memory freed in one is not reused by
 *   the others; two arenas hold what they did with less of it idle.
 */

export const WORKER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--initial-old-space-size=32', '--heap-growing-percent=50'];
export const WORKER_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

/** `--some_flag=1` and `--some-flag` name the same V8 option. */
const optionName = (arg: string): string => arg.split('=')[0]!.replace(/_/g, '-');

/** The primary's node options plus each worker option it sets neither itself nor in NODE_OPTIONS. */
export function workerExecArgv(parent: readonly string[], nodeOptions = ''): string[] {
  const given = new Set([...parent, ...nodeOptions.split(/\s+/).filter(Boolean)].map(optionName));
  return [...parent, ...WORKER_NODE_FLAGS.filter((f) => !given.has(optionName(f)))];
}

/** The variables of WORKER_ENV the primary's environment does not set. */
export function workerEnv(parent: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(WORKER_ENV).filter(([k]) => parent[k] === undefined));
}
