/**
 * V8 heap options the deployed server runs with: `npm start` passes them to
 * `node dist/hearth.cjs serve`, `hearth serve --workers N` hands them on to its workers (cluster
 * forks with the primary's execArgv), and the bench runs the bundle with them. Without them V8
 * sizes its heap from the machine's RAM, not from what a server needs: on a 24 GB machine the
 * young generation alone grew to 80 MB under the realtime fan-out (1,000 sockets), most of it
 * garbage, and RSS past 220 MB, where the live heap was ~42 MB (a heap snapshot).
 *
 * - `--max-semi-space-size`: caps the young generation (two semi-spaces); short-lived request
 *   and event objects die there, and a few MB is enough for them to die young. Measured under the
 *   same fan-out: the young generation 80–112 MB without a cap, 16 MB at 8, 8 MB at 4; a scavenge
 *   costs what survives it, not what it frees, so smaller is not much dearer.
 * - `--initial-old-space-size`: the first full GC runs once the old generation reaches this,
 *   rather than at a limit derived from the maximum heap (gigabytes); from then on V8 sizes the
 *   limit from the live heap, as usual. It is not a cap: the heap still grows to what it needs.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--initial-old-space-size=32'];
