/**
 * Typed configuration: explicit options (CLI flags) override environment variables, which
 * override defaults. Defaults are safe: loopback only, 10 MiB bodies.
 */
import { z } from 'zod';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Covers the largest JSON payloads of normal apps; file uploads get per-field limits. */
export const DEFAULT_BODY_LIMIT = 10 * 1024 * 1024;
export const DEFAULT_HTTP = '127.0.0.1:8090';
/**
 * Where the built dashboard is: from the sources, the repo's `dashboard/dist` (`npm run build -w
 * dashboard`); in the production bundle (dist/hearth.cjs, where import.meta is empty) the
 * `dashboard/` folder beside it. The single executable sets HEARTH_DASHBOARD_DIR itself.
 */
const MODULE_URL: string | undefined = import.meta.url;
export const DEFAULT_DASHBOARD_DIR = MODULE_URL
  ? fileURLToPath(new URL('../../../dashboard/dist', MODULE_URL))
  : join(dirname(resolve(process.argv[1] ?? '.')), 'dashboard');

/** What `--db` / HEARTH_DB accepts besides '' (SQLite): a PostgreSQL connection URL. */
export const POSTGRES_URL = /^postgres(ql)?:\/\/\S+$/;

const schema = z.object({
  dir: z.string().min(1),
  http: z.string().regex(/^(\[[^\]]+\]|[^:]+):\d{1,5}$/, 'expected HOST:PORT'),
  dev: z.boolean(),
  logLevel: z.enum(['debug', 'info', 'warn', 'error', 'silent']),
  bodyLimit: z.number().int().positive(),
  corsOrigins: z.array(z.string()),
  /** `smtp://user:pass@host:port` (or smtps://); when set it wins over the SMTP settings. */
  smtpUrl: z.string(),
  /** Socket addresses whose `X-Forwarded-For` is believed (exact IPs); empty = trust no proxy. */
  trustedProxies: z.array(z.string()),
  /** Folder of hooks files (`*.ts`); default `<dir>/hearth_hooks`. */
  hooksDir: z.string(),
  /**
   * `normal` (synchronous=NORMAL): nothing committed is lost if the process dies (kill -9, OOM);
   * an OS crash or power loss can lose the last commits. `full`: every commit is fsynced first
   * and survives power loss too, at the cost of one fsync per write transaction.
   */
  durability: z.enum(['normal', 'full']),
  /** Static bearer token that may read /api/metrics besides superusers ('' = superusers only). */
  metricsToken: z.string(),
  /** Built dashboard assets served at `/_/` (env HEARTH_DASHBOARD_DIR). */
  dashboardDir: z.string().min(1),
  /** Dashboard extensions, one folder each (env HEARTH_EXTENSIONS); default `<dir>/hearth_extensions`. */
  extensionsDir: z.string(),
  /**
   * Open realtime connections per client address; 0 = realtime's default (20). Raise it for a
   * load test that opens many sockets from one machine (`HEARTH_REALTIME_CONNECTIONS_PER_IP`).
   */
  realtimeConnectionsPerIp: z.number().int().min(0),
  /**
   * The database: '' = SQLite in the data dir (the default); `postgres://user:pass@host:port/db`
   * = PostgreSQL, shared by every node serving the app (env HEARTH_DB). See docs/scaling.md.
   */
  db: z.string().regex(POSTGRES_URL, 'expected a postgres:// URL, or nothing for SQLite in the data dir').or(z.literal('')),
});

export type Config = z.infer<typeof schema>;
export type ConfigInput = Partial<Config>;

export function loadConfig(input: ConfigInput = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const merged = {
    dir: input.dir ?? env.HEARTH_DIR ?? './hearth_data',
    http: input.http ?? env.HEARTH_HTTP ?? DEFAULT_HTTP,
    dev: input.dev ?? env.HEARTH_DEV === '1',
    logLevel: input.logLevel ?? env.HEARTH_LOG_LEVEL ?? 'info',
    bodyLimit: input.bodyLimit ?? (env.HEARTH_BODY_LIMIT ? Number(env.HEARTH_BODY_LIMIT) : DEFAULT_BODY_LIMIT),
    corsOrigins: input.corsOrigins ?? (env.HEARTH_CORS_ORIGINS ? env.HEARTH_CORS_ORIGINS.split(',').map((s) => s.trim()) : ['*']),
    smtpUrl: input.smtpUrl ?? env.HEARTH_SMTP_URL ?? '',
    trustedProxies: input.trustedProxies ?? splitList(env.HEARTH_TRUSTED_PROXIES),
    hooksDir: input.hooksDir ?? env.HEARTH_HOOKS ?? '',
    durability: input.durability ?? env.HEARTH_DURABILITY ?? 'normal',
    metricsToken: input.metricsToken ?? env.HEARTH_METRICS_TOKEN ?? '',
    dashboardDir: input.dashboardDir ?? env.HEARTH_DASHBOARD_DIR ?? DEFAULT_DASHBOARD_DIR,
    extensionsDir: input.extensionsDir ?? env.HEARTH_EXTENSIONS ?? '',
    realtimeConnectionsPerIp: input.realtimeConnectionsPerIp ?? Number(env.HEARTH_REALTIME_CONNECTIONS_PER_IP ?? 0),
    db: input.db ?? env.HEARTH_DB ?? '',
  };
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid configuration "${issue.path.join('.')}": ${issue.message}`);
  }
  const dir = resolve(parsed.data.dir);
  const hooksDir = parsed.data.hooksDir ? resolve(parsed.data.hooksDir) : join(dir, 'hearth_hooks');
  const extensionsDir = parsed.data.extensionsDir ? resolve(parsed.data.extensionsDir) : join(dir, 'hearth_extensions');
  return { ...parsed.data, dir, hooksDir, extensionsDir, dashboardDir: resolve(parsed.data.dashboardDir) };
}

function splitList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

export function splitHostPort(http: string): { host: string; port: number } {
  const i = http.lastIndexOf(':');
  return { host: http.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(http.slice(i + 1)) };
}

/**
 * The synchronous start (`createServer`) and the workers of `--workers N` serve the SQLite file of
 * the data dir; a PostgreSQL URL is served by `openServer` (one node per process).
 */
export const POSTGRES_NEEDS_OPEN_SERVER = 'createServer() serves the SQLite data dir; a PostgreSQL URL (db / HEARTH_DB) is served by openServer().';
export const POSTGRES_NO_WORKERS =
  '--workers runs several processes on one SQLite data dir. On PostgreSQL each "hearth serve --db URL" process is a node of its own: ' +
  'start as many as you need (on one machine or several; see docs/scaling.md) and leave --workers out.';

export function assertServableDb(config: Pick<Config, 'db'>, message: string = POSTGRES_NEEDS_OPEN_SERVER): void {
  if (config.db !== '') throw new Error(message);
}
