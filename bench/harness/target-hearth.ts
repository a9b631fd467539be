/**
 * Starts Hearth exactly as a user would (`hearth serve --http … --dir …` on a fresh temp dir;
 * `hearth-pg`: with `--db` on a fresh PostgreSQL database, bench-postgres.ts),
 * creates the first superuser with the CLI, then sets up collections, seed rows and user tokens
 * over REST. Anything missing surfaces as TargetUnavailable with the failing request.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SERVER_NODE_FLAGS, serverEnv } from '../../scripts/node-flags.ts';
import { createHearthClient } from './hearth-client.ts';
import { createCollections, relaxSettings, seedRows, signInUsers, superuserToken } from './hearth-setup.ts';
import { freePort, waitForHealth } from './ports.ts';
import { makeTempDir, removeTempDir, serverPidOf, spawnTracked, stopTracked } from './processes.ts';
import { cpuProfFlags, TargetUnavailable, type StartOptions, type Target } from './target.ts';
import { benchPostgres, type BenchPostgres } from './bench-postgres.ts';

const REPO = join(import.meta.dirname, '..', '..');
const CLI = join(REPO, 'cli', 'bin', 'hearth.js');
/** `npm run build`'s output: the deployed form (see docs/deploy.md). */
export const BUNDLE = join(REPO, 'dist', 'hearth.cjs');
const SUPERUSER = { email: 'bench@hearth.test', password: 'bench-superuser-1' };

export function hearthAvailable(): string | null {
  for (const f of [CLI, join(REPO, 'server', 'src', 'index.ts')]) if (!existsSync(f)) return `${f} missing`;
  return null;
}

/**
 * The `hearth-hooks` target's hooks file: one of every kind of hook, all on a collection
 * (`bench_audit`) and paths (`/api/bench-tools`, `/api/hello/…`) that no scenario requests, plus
 * an hourly cron job — so every request the scenarios send passes hook dispatch unhooked.
 */
export const BENCH_HOOKS = `export default (hearth) => {
  for (const action of ['Create', 'Update', 'Delete']) {
    hearth['onRecordBefore' + action]('bench_audit', (e) => { e.body.touched = true; });
    hearth['onRecordAfter' + action]('bench_audit', () => {});
  }
  hearth.onBeforeSignIn('bench_audit', () => {});
  hearth.onAfterSignUp('bench_audit', () => {});
  hearth.onRequest({ collection: 'bench_audit' }, (e, next) => next());
  hearth.onRequest({ path: '/api/bench-tools' }, (e, next) => next());
  hearth.routerAdd('GET', '/api/hello/{name}', (e) => ({ message: 'Hello ' + e.params.name }));
  hearth.cronAdd('bench_hourly', '0 * * * *', () => {});
};
`;

/** The first superuser through the installer (from loopback): on PostgreSQL the data dir holds no database for the CLI. */
async function installSuperuser(url: string): Promise<void> {
  const res = await fetch(`${url}/api/install`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: SUPERUSER.email, password: SUPERUSER.password, passwordConfirm: SUPERUSER.password }),
  });
  if (!res.ok) throw new Error(`POST /api/install → ${res.status} ${await res.text()}`);
}

function benchNodeFlags(): readonly string[] {
  const env = process.env.BENCH_NODE_FLAGS?.trim();
  if (env === undefined || env === '') return SERVER_NODE_FLAGS;
  return env === 'none' ? [] : env.split(/\s+/);
}

export async function startHearth(opts: StartOptions, name: 'hearth' | 'hearth-hooks' | 'hearth-pg' = 'hearth'): Promise<Target> {
  const missing = hearthAvailable();
  if (missing) throw new TargetUnavailable(missing);
  const port = await freePort();
  const hooked = name === 'hearth-hooks';
  const dir = makeTempDir(name);
  // BENCH_SECOND_HEARTH: another checkout's cli/bin/hearth.js, run as this target without the
  // hooks file, to compare two commits in the same rounds.
  const alt = hooked ? process.env.BENCH_SECOND_HEARTH || undefined : undefined;
  if (hooked && !alt) {
    mkdirSync(join(dir, 'hearth_hooks'), { recursive: true });
    writeFileSync(join(dir, 'hearth_hooks', 'bench-hooks.js'), BENCH_HOOKS);
  }
  // One worker unless asked: the per-core comparisons against the baselines need one process.
  const cli = alt ?? (opts.form === 'bundle' ? BUNDLE : CLI);
  if (!existsSync(cli)) throw new TargetUnavailable(`${cli} missing (npm run build)`);
  // The bundle runs as `npm start` runs it: with the server's heap flags (BENCH_NODE_FLAGS, if
  // set, replaces them to compare others; "none" for none). A cluster's primary adds each worker
  // flag it was not given (server/src/cluster/worker-process.ts): to compare without one, give it
  // its default value (`--heap-growing-percent=0` is V8's own choice; MALLOC_ARENA_MAX=16 glibc's on 2 cores).
  const nodeFlags = opts.nodeFlags ?? (opts.form === 'bundle' ? benchNodeFlags() : []);
  let pg: BenchPostgres | null = null;
  try {
    pg = name === 'hearth-pg' ? await benchPostgres(name) : null;
  } catch (err) {
    removeTempDir(dir);
    throw new TargetUnavailable(`PostgreSQL did not start: ${(err as Error).message}`);
  }
  const db = pg ? ['--db', pg.url] : [];
  const args = [...cpuProfFlags(opts.cpuProfDir), ...nodeFlags, cli, 'serve', '--http', `127.0.0.1:${port}`, '--dir', dir, ...db, '--workers', String(opts.workers ?? 1)];
  // The fan-out scenario opens 1,000 sockets from this one machine: lift the per-address limit.
  // The bundle gets `npm start`'s environment too (MALLOC_ARENA_MAX, unless set).
  const env = { ...(opts.form === 'bundle' || opts.nodeFlags ? serverEnv(process.env) : process.env), HEARTH_REALTIME_CONNECTIONS_PER_IP: '100000' };
  const proc = spawnTracked(name, process.execPath, args, { cwd: REPO, env });
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await stopTracked(proc, 15_000);
    await pg?.stop();
    removeTempDir(dir);
  };
  try {
    await waitForHealth(`${url}/api/health`, 60_000, () => proc.child.exitCode === null);
    const client = createHearthClient(url);
    if (pg) await installSuperuser(url);
    else {
      await promisify(execFile)(process.execPath, [cli, 'superuser', 'upsert', SUPERUSER.email, SUPERUSER.password, '--dir', dir], {
        cwd: REPO,
        timeout: 60_000,
      });
    }
    const token = await superuserToken(client, SUPERUSER.email, SUPERUSER.password);
    await relaxSettings(client, token);
    let tokens = new Map<string, string>();
    if (opts.seed !== false) {
      await createCollections(client, token);
      const t0 = Date.now();
      const mode = await seedRows(client, token, opts.data);
      opts.log(`${name}: seeded via ${mode} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      tokens = await signInUsers(client, opts.data);
    }
    return { name, url, serverPid: serverPidOf(proc.child.pid!), tokens, superuserToken: token, stop };
  } catch (err) {
    const tail = proc.tail();
    await stop();
    const msg = (err as Error).message + (proc.child.exitCode !== null && tail ? `\n${tail}` : '');
    throw new TargetUnavailable(msg);
  }
}
