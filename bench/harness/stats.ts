/** Per-round figures, their median across rounds, and the ratios that compare targets. */

export interface RoundFigures {
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  /** server CPU, % of one core */
  cpuPct: number;
  /** requests answered per second of server CPU: throughput that a busy shared machine distorts less */
  reqPerCpuSec: number;
  /** server resident memory after the round */
  rssMb: number;
  loadgenCpuPct: number;
  requests: number;
  non2xx: number;
  errors: number;
  durationSec: number;
}

export function median(values: number[]): number {
  const xs = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (xs.length === 0) return Number.NaN;
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
}

/** Field-wise median (so each figure is a median of rounds, not one round's figures). */
export function medianFigures(rounds: RoundFigures[]): RoundFigures {
  const keys = Object.keys(rounds[0]!) as (keyof RoundFigures)[];
  return Object.fromEntries(keys.map((k) => [k, median(rounds.map((r) => r[k]))])) as unknown as RoundFigures;
}

/** A round is unusable when more than this share of responses failed (wrong status or socket error). */
export const MAX_FAILURE_SHARE = 0.01;

export function failureOf(r: RoundFigures): string | null {
  const total = r.requests + r.errors;
  if (total === 0) return 'no responses';
  const bad = r.non2xx + r.errors;
  return bad / total > MAX_FAILURE_SHARE ? `${r.non2xx} non-2xx and ${r.errors} socket errors of ${total} requests` : null;
}
