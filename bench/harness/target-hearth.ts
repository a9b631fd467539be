/**
 * Starts Hearth exactly as a user would (`hearth serve --http … --dir …` on a fresh temp dir),
 * creates the first superuser with the CLI, then sets up collections, seed rows and user tokens
 * over REST. Anything missing surfaces as TargetUnavailable with the failing request.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createHearthClient } from './hearth-client.ts';
import { createCollections, relaxSettings, seedRows, signInUsers, superuserToken } from './hearth-setup.ts';
import { freePort, waitForHealth } from './ports.ts';
import { makeTempDir, removeTempDir, serverPidOf, spawnTracked, stopTracked } from './processes.ts';
import { cpuProfFlags, TargetUnavailable, type StartOptions, type Target } from './target.ts';

const REPO = join(import.meta.dirname, '..', '..');
const CLI = join(REPO, 'cli', 'bin', 'hearth.js');
const SUPERUSER = { email: 'bench@hearth.test', password: 'bench-superuser-1' };

export function hearthAvailable(): string | null {
  for (const f of [CLI, join(REPO, 'server', 'src', 'index.ts')]) if (!existsSync(f)) return `${f} missing`;
  return null;
}

export async function startHearth(opts: StartOptions): Promise<Target> {
  const missing = hearthAvailable();
  if (missing) throw new TargetUnavailable(missing);
  const port = await freePort();
  const dir = makeTempDir('hearth');
  // One worker unless asked: the per-core comparisons against the baselines need one process.
  const args = [...cpuProfFlags(opts.cpuProfDir), CLI, 'serve', '--http', `127.0.0.1:${port}`, '--dir', dir, '--workers', String(opts.workers ?? 1)];
  // The fan-out scenario opens 1,000 sockets from this one machine: lift the per-address limit.
  const env = { ...process.env, HEARTH_REALTIME_CONNECTIONS_PER_IP: '100000' };
  const proc = spawnTracked('hearth', process.execPath, args, { cwd: REPO, env });
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await stopTracked(proc, 15_000);
    removeTempDir(dir);
  };
  try {
    await waitForHealth(`${url}/api/health`, 60_000, () => proc.child.exitCode === null);
    await promisify(execFile)(process.execPath, [CLI, 'superuser', 'upsert', SUPERUSER.email, SUPERUSER.password, '--dir', dir], {
      cwd: REPO,
      timeout: 60_000,
    });
    const client = createHearthClient(url);
    const token = await superuserToken(client, SUPERUSER.email, SUPERUSER.password);
    await relaxSettings(client, token);
    await createCollections(client, token);
    const t0 = Date.now();
    const mode = await seedRows(client, token, opts.data);
    opts.log(`hearth: seeded via ${mode} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const tokens = await signInUsers(client, opts.data);
    return { name: 'hearth', url, serverPid: serverPidOf(proc.child.pid!), tokens, superuserToken: token, stop };
  } catch (err) {
    const tail = proc.tail();
    await stop();
    const msg = (err as Error).message + (proc.child.exitCode !== null && tail ? `\n${tail}` : '');
    throw new TargetUnavailable(msg);
  }
}
