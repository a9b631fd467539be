/**
 * The node options and environment the deployed server runs with: `npm start` passes them to
 * `node dist/hearth.cjs serve` (a single process), and the bench runs the bundle with them. They
 * are the ones `hearth serve --workers N` gives each of its workers, explained and measured in
 * server/src/cluster/worker-process.ts: without them V8 sizes its heap from the machine's RAM, not
 * from what a server needs (on a 24 GB machine the young generation alone grew to 80 MB under the
 * realtime fan-out, and the old generation ran to 3–4× its live objects before a full GC).
 */
import { WORKER_ENV, WORKER_NODE_FLAGS } from '../server/src/cluster/worker-process.ts';

export const SERVER_NODE_FLAGS: readonly string[] = WORKER_NODE_FLAGS;

/** The environment with the server's allocator settings, each unless already set. */
export function serverEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const [k, v] of Object.entries(WORKER_ENV)) out[k] ??= v;
  return out;
}
