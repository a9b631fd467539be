/**
 * Multi-worker test helpers: `hearth serve --workers N` as a child process (its URL and each
 * worker's pid read from its output), and clients pinned to one worker. Connections are dealt to
 * workers round-robin, and every response names its worker in `X-Hearth-Worker`, so a client opens
 * connections until it has one on the worker it wants and then keeps it: each request is preceded
 * by a probe on the same socket, and a socket that lands on another worker is dropped and re-dealt.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDataDir, upsertSuperuser } from '../src/index.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './harness.ts';
import { WAIT_MS, WsClient } from './realtime-helpers.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'cli/bin/hearth.js');
/** A worker that is not reached in this many fresh connections is not serving. */
const MAX_DEALS = 40;

export interface Reply {
  status: number;
  body: any;
  worker: string;
}

export class Cluster {
  readonly child: ChildProcess;
  url = '';
  output = '';
  /** Worker id → pid of its current process (updated when a worker restarts). */
  readonly pids = new Map<number, number>();
  private watchers = new Set<() => void>();

  private constructor(child: ChildProcess) {
    this.child = child;
    const take = (d: Buffer): void => {
      this.output += d.toString();
      for (const m of this.output.matchAll(/worker (\d+) \(pid (\d+)\) listening/g)) this.pids.set(Number(m[1]), Number(m[2]));
      const url = /serving on (http:\/\/\S+)/.exec(this.output);
      if (url) this.url = url[1]!;
      for (const w of [...this.watchers]) w();
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    child.once('exit', () => {
      for (const w of [...this.watchers]) w();
    });
  }

  /** A fresh data dir with the superuser, served by `workers` workers (`args`: more serve flags). */
  static async start(workers: number, opts: { env?: Record<string, string>; args?: string[] } = {}): Promise<Cluster & { dir: string }> {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-workers-'));
    const data = openDataDir(dir);
    await upsertSuperuser(data.db, data.registry, ADMIN_EMAIL, ADMIN_PASSWORD);
    data.db.close();
    const child = spawn(process.execPath, [BIN, 'serve', '--http', '127.0.0.1:0', '--dir', dir, '--workers', String(workers), ...(opts.args ?? [])], {
      cwd: ROOT,
      env: { ...process.env, HEARTH_LOG_LEVEL: 'warn', ...opts.env },
    });
    const cluster = Object.assign(new Cluster(child), { dir });
    await cluster.until(() => cluster.url !== '' && cluster.pids.size === workers, 'the cluster to listen', 60_000);
    return cluster;
  }

  /** Resolves once `check()` holds, re-checked on every line of output. */
  until(check: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
    return new Promise((ok, fail) => {
      const attempt = (): void => {
        if (check()) {
          done();
          ok();
        } else if (this.child.exitCode !== null) {
          done();
          fail(new Error(`serve exited (${this.child.exitCode}) while waiting for ${what}:\n${this.output}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        fail(new Error(`timed out waiting for ${what}:\n${this.output}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.watchers.delete(attempt);
      };
      this.watchers.add(attempt);
      attempt();
    });
  }

  get wsUrl(): string {
    return this.url.replace(/^http/, 'ws') + '/api/realtime/ws';
  }

  /** A client whose every request is served by worker `id`. */
  on(id: number): WorkerClient {
    return new WorkerClient(this.url, String(id));
  }

  /** A WebSocket client on worker `id` (other upgrades are closed and dealt again). */
  async ws(id: number, token?: string): Promise<WsClient> {
    for (let i = 0; i < MAX_DEALS; i++) {
      const client = await WsClient.open(this.wsUrl);
      if (client.upgradeHeaders['x-hearth-worker'] === String(id)) {
        if (token) await client.auth(token);
        return client;
      }
      client.close();
    }
    throw new Error(`no WebSocket reached worker ${id}`);
  }

  /** SIGTERM to the primary; resolves with its exit code. */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode !== null) return Promise.resolve(this.child.exitCode);
    return new Promise((ok) => {
      this.child.once('exit', (code) => ok(code));
      this.child.kill(signal);
    });
  }
}

export class WorkerClient {
  private agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private readonly url: string;
  readonly worker: string;

  constructor(url: string, worker: string) {
    this.url = url;
    this.worker = worker;
  }

  private send(method: string, path: string, body?: unknown, token?: string): Promise<Reply> {
    const headers: Record<string, string> = {};
    const text = body === undefined ? undefined : JSON.stringify(body);
    if (text !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = token;
    return new Promise((ok, fail) => {
      const req = request(this.url + path, { method, headers, agent: this.agent }, (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (data += d));
        res.on('end', () => ok({ status: res.statusCode!, body: data ? JSON.parse(data) : null, worker: String(res.headers['x-hearth-worker']) }));
        res.on('error', fail);
      });
      req.on('error', fail);
      req.end(text);
    });
  }

  /** Sends the request on a socket known to be connected to this client's worker. */
  async api(method: string, path: string, body?: unknown, token?: string): Promise<Reply> {
    for (let i = 0; i < MAX_DEALS; i++) {
      const probe = await this.send('GET', '/api/health');
      if (probe.worker === this.worker) {
        const reply = await this.send(method, path, body, token);
        if (reply.worker !== this.worker) throw new Error(`request meant for worker ${this.worker} reached worker ${reply.worker}`);
        return reply;
      }
      this.agent.destroy();
      this.agent = new Agent({ keepAlive: true, maxSockets: 1 });
    }
    throw new Error(`no connection reached worker ${this.worker}`);
  }

  close(): void {
    this.agent.destroy();
  }
}

export const adminToken = async (client: WorkerClient): Promise<string> => {
  const res = await client.api('POST', '/api/collections/_superusers/auth-with-password', { identity: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  if (res.status !== 200) throw new Error(`superuser sign-in failed: ${JSON.stringify(res.body)}`);
  return res.body.token as string;
};
