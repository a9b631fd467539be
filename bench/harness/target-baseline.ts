/**
 * Starts a baseline server (raw node:http or Hono) as its own process on a free port with a fresh
 * data dir (raw-pg: a PostgreSQL database); it seeds itself from the same dataset spec. Tokens
 * are signed here with its secret.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { signToken } from '../baselines/jwt.ts';
import { USERS } from '../scenarios/schema.ts';
import { benchPostgres } from './bench-postgres.ts';
import { freePort, waitForHealth } from './ports.ts';
import { makeTempDir, removeTempDir, spawnTracked, stopTracked } from './processes.ts';
import { cpuProfFlags, type StartOptions, type Target } from './target.ts';

const TOKEN_LIFETIME_SEC = 24 * 3600;

export async function startBaseline(kind: 'raw' | 'hono' | 'raw-pg', opts: StartOptions): Promise<Target> {
  const port = await freePort();
  const dir = makeTempDir(kind);
  const secret = randomBytes(32).toString('hex');
  const pg = kind === 'raw-pg' ? await benchPostgres(kind) : null;
  const where = pg ? ['--db', pg.url] : ['--dir', dir];
  const script = join(import.meta.dirname, '..', 'baselines', `${kind}-server.ts`);
  const args = [...cpuProfFlags(opts.cpuProfDir), script, '--port', String(port), ...where, '--secret', secret, '--dataset', JSON.stringify(opts.dataset)];
  const proc = spawnTracked(kind, process.execPath, args);
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await stopTracked(proc);
    await pg?.stop();
    removeTempDir(dir);
  };
  try {
    await waitForHealth(`${url}/api/health`, 60_000, () => proc.child.exitCode === null);
  } catch (err) {
    await stop();
    throw new Error(`${kind} baseline did not start: ${(err as Error).message}\n${proc.tail()}`);
  }
  const exp = Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_SEC;
  const tokens = new Map<string, string>();
  for (const u of opts.data.rows.users!) {
    tokens.set(u.id as string, signToken({ id: u.id as string, collectionId: USERS.id, type: 'auth', exp }, secret));
  }
  return {
    name: kind,
    url,
    serverPid: proc.child.pid!,
    tokens,
    stop,
  };
}
