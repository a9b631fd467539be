/** How many workers `hearth serve` starts: `--workers`, else HEARTH_WORKERS, else one per core. */
import { availableParallelism } from 'node:os';

/** More workers than this is a typo, not a deployment (each one holds a connection and caches). */
export const MAX_WORKERS = 64;

export function resolveWorkerCount(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): number {
  const raw = flag ?? env.HEARTH_WORKERS;
  if (raw === undefined || raw.trim() === '') return Math.min(availableParallelism(), MAX_WORKERS);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS) {
    throw new Error(`Invalid --workers "${raw}": expected a whole number from 1 to ${MAX_WORKERS}.`);
  }
  return n;
}
