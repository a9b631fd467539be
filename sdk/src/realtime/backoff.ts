/** Reconnect delays: exponential growth with a cap, and jitter so clients do not reconnect in step. */

export interface BackoffOptions {
  /** First delay in ms (default 500). */
  initialDelay?: number;
  /** Ceiling in ms (default 30 000). */
  maxDelay?: number;
  /** Growth per attempt (default 2). */
  factor?: number;
  /** Fraction of the delay that is random, 0–1 (default 0.5: a delay lies in [d/2, d]). */
  jitter?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = { initialDelay: 500, maxDelay: 30_000, factor: 2, jitter: 0.5 };

/** The delay before reconnect attempt `attempt` (0 = the first retry). */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const o = { ...DEFAULT_BACKOFF, ...options };
  const jitter = Math.min(Math.max(o.jitter, 0), 1);
  const base = Math.min(o.maxDelay, o.initialDelay * o.factor ** Math.max(0, attempt));
  return Math.round(base * (1 - jitter * random()));
}
