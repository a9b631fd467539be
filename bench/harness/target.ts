/** A running server under test, seeded and ready, with a token per bench user. */
import type { Dataset, DatasetSizes } from '../scenarios/dataset.ts';

/**
 * `hearth-hooks` is Hearth with a hooks file that hooks everything it can (record, auth and
 * request hooks, a custom route, a cron job) on a collection and a path the scenarios never
 * touch: against `hearth` it shows what hooks cost the requests they do not hook.
 */
export type TargetName = 'raw' | 'hono' | 'hearth' | 'hearth-hooks' | 'raw-pg' | 'hearth-pg';
/** The targets a run starts by default. */
export const TARGET_NAMES: readonly TargetName[] = ['raw', 'hono', 'hearth', 'hearth-hooks'];
/**
 * Targets run only when named: `raw-pg` is the raw baseline on PostgreSQL (node:http + `pg`) and
 * `hearth-pg` is Hearth on PostgreSQL (`hearth serve --db postgres://…`), each on its own database
 * of the server HEARTH_BENCH_PG names or, without it, a PostgreSQL started for the target.
 */
export const OPTIONAL_TARGETS: readonly TargetName[] = ['raw-pg', 'hearth-pg'];
export const isHearth = (name: TargetName): boolean => name === 'hearth' || name === 'hearth-hooks' || name === 'hearth-pg';

export interface Target {
  name: TargetName;
  /** http://127.0.0.1:PORT */
  url: string;
  /** the process that serves requests (for /proc sampling) */
  serverPid: number;
  tokens: Map<string, string>;
  /** Hearth only: a superuser token, for scenarios that set up more through the API (fan-out) */
  superuserToken?: string;
  /** graceful stop (SIGINT) so --cpu-prof profiles get written */
  stop(): Promise<void>;
}

export interface StartOptions {
  data: Dataset;
  dataset: { sizes: DatasetSizes; seed: number };
  /** when set, the server runs with --cpu-prof writing here */
  cpuProfDir?: string;
  /** Hearth only: `--workers` (default 1, the per-core figures) */
  workers?: number;
  /** Hearth only: run the sources (default) or the bundle `dist/hearth.cjs` (built beforehand) */
  form?: 'source' | 'bundle';
  /**
   * Hearth only: node options for the server process (and `npm start`'s environment with them);
   * default: the deployed heap flags for the bundle, none for the sources
   */
  nodeFlags?: readonly string[];
  /** Hearth only: false skips the dataset's collections, rows and sign-ins (scenarios that set up their own) */
  seed?: boolean;
  log(message: string): void;
}

/** A target that could not be started or seeded: its cells are reported as n/a (reason). */
export class TargetUnavailable extends Error {}

export const cpuProfFlags = (dir: string | undefined): string[] =>
  dir ? ['--cpu-prof', '--cpu-prof-dir', dir] : [];
