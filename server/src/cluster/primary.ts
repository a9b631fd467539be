/**
 * The primary of `hearth serve --workers N`. It holds the data-dir lock for the deployment,
 * forks the workers (Node's cluster: they share the listening socket, connections are dealt
 * round-robin) and lets the first of them set up the database (migrations, system collections)
 * before the others open it (messages.ts), relays each worker's commit notes to the others,
 * restarts a worker that dies, and on shutdown asks every worker to drain (finish in-flight
 * requests, close the database) before it releases the lock. It serves no requests, holds no
 * state of its own and never opens the database: it loads only the config and the lock.
 */
import cluster, { type Worker } from 'node:cluster';
import { isSea } from 'node:sea';
import { assertServableDb, loadConfig, POSTGRES_NO_WORKERS } from '../config/config.ts';
import { lockDataDir } from '../db/dir-lock.ts';
import { newInstallToken } from '../admin/install-token.ts';
import type { ServerInput } from '../main.ts';
import { INSTALL_TOKEN_ENV, isWorkerMessage, WORKER_ID_ENV, type PrimaryMessage } from './messages.ts';
import { workerEnv, workerExecArgv } from './worker-process.ts';

/** A worker that dies is restarted after this delay, doubled per quick successive death, capped. */
export const RESTART_DELAY_MS = 250;
export const MAX_RESTART_DELAY_MS = 10_000;
/** A worker that lived this long before dying is restarted after the base delay again. */
const HEALTHY_RUN_MS = 30_000;

export interface ClusterHandle {
  url: string;
  /** The one-time first-superuser token while none exists, else null. */
  installToken: string | null;
  dir: string;
  /** Ids and pids of the running workers. */
  workers(): Array<{ id: number; pid: number }>;
  /** Drains every worker (each finishes its in-flight requests), then releases the lock. */
  close(): Promise<void>;
}

interface Slot {
  id: number;
  worker: Worker | null;
  startedAt: number;
  delayMs: number;
}

/** Starts `count` workers serving `input`; resolves once every one of them listens. */
export async function startCluster(input: ServerInput, count: number): Promise<ClusterHandle> {
  const config = loadConfig(input);
  assertServableDb(config, POSTGRES_NO_WORKERS);
  const unlock = lockDataDir(config.dir);
  const token = newInstallToken();
  let installNeeded = false;

  const slots: Slot[] = Array.from({ length: count }, (_, i) => ({ id: i + 1, worker: null, startedAt: 0, delayMs: RESTART_DELAY_MS }));
  let closing = false;
  let url = '';
  let ready: (() => void) | null = null;
  let failStart: ((err: Error) => void) | null = null;
  const listening = new Set<number>();
  /** Workers waiting for their go; the first one sets the database up, the rest start once it listens. */
  const waiting = new Set<Worker>();
  let setupBy: Worker | null = null;
  let setUp = false;

  const broadcast = (from: Worker | null, message: PrimaryMessage): void => {
    for (const s of slots) if (s.worker && s.worker !== from && s.worker.isConnected()) s.worker.send(message);
  };

  const go = (w: Worker): void => {
    if (w.isConnected()) w.send({ type: 'hearth:start' } satisfies PrimaryMessage);
  };

  // Every worker runs with the heap and allocator settings of worker-process.ts (the single
  // executable passes its command line to the app, not to Node: there NODE_OPTIONS carries them).
  if (!isSea()) cluster.setupPrimary({ execArgv: workerExecArgv(process.execArgv, process.env.NODE_OPTIONS) });
  const env = workerEnv(process.env);

  function fork(slot: Slot): void {
    const worker = cluster.fork({ ...env, [WORKER_ID_ENV]: String(slot.id), [INSTALL_TOKEN_ENV]: token });
    slot.worker = worker;
    slot.startedAt = Date.now();
    worker.on('message', (m: unknown) => {
      if (!isWorkerMessage(m)) return;
      if (m.type === 'hearth:note') return broadcast(worker, m);
      if (m.type === 'hearth:call') {
        const target = slots.find((s) => s.id === m.to)?.worker;
        if (target?.isConnected()) target.send({ type: 'hearth:call', from: slot.id, rid: m.rid, op: m.op } satisfies PrimaryMessage);
        else if (worker.isConnected()) worker.send({ type: 'hearth:reply', rid: m.rid, result: null, failed: `worker ${m.to} is not running` } satisfies PrimaryMessage);
        return;
      }
      if (m.type === 'hearth:reply') {
        const target = slots.find((s) => s.id === m.to)?.worker;
        if (target?.isConnected()) target.send({ type: 'hearth:reply', rid: m.rid, result: m.result, failed: m.failed } satisfies PrimaryMessage);
        return;
      }
      if (m.type === 'hearth:loaded') {
        if (setUp || setupBy === null) {
          setupBy ??= worker;
          go(worker);
        } else waiting.add(worker);
        return;
      }
      if (worker === setupBy && !setUp) {
        setUp = true;
        for (const w of waiting) go(w);
        waiting.clear();
      }
      url = m.url;
      installNeeded = m.installNeeded;
      listening.add(slot.id);
      process.stdout.write(`worker ${slot.id} (pid ${worker.process.pid}) listening\n`);
      if (listening.size === count) ready?.();
    });
    worker.on('exit', (code, signal) => {
      if (slot.worker === worker) slot.worker = null;
      listening.delete(slot.id);
      waiting.delete(worker);
      if (closing) return;
      if (!url) {
        failStart?.(new Error(`worker ${slot.id} exited before it was listening (${signal ?? `code ${code}`})`));
        return;
      }
      const lived = Date.now() - slot.startedAt;
      slot.delayMs = lived >= HEALTHY_RUN_MS ? RESTART_DELAY_MS : Math.min(slot.delayMs * 2, MAX_RESTART_DELAY_MS);
      process.stderr.write(`hearth: worker ${slot.id} exited (${signal ?? `code ${code}`}); restarting it\n`);
      setTimeout(() => {
        if (!closing) fork(slot);
      }, lived >= HEALTHY_RUN_MS ? RESTART_DELAY_MS : slot.delayMs).unref();
    });
  }

  async function close(): Promise<void> {
    if (closing) return;
    closing = true;
    await Promise.all(
      slots.map(
        (s) =>
          new Promise<void>((resolve) => {
            const w = s.worker;
            if (!w || w.isDead()) return resolve();
            w.once('exit', () => resolve());
            if (w.isConnected()) w.send({ type: 'hearth:shutdown' } satisfies PrimaryMessage);
            else w.process.kill('SIGTERM');
          }),
      ),
    );
    unlock();
  }

  const started = new Promise<void>((resolve, reject) => {
    ready = resolve;
    failStart = reject;
  });
  for (const slot of slots) fork(slot);
  try {
    await started;
  } catch (err) {
    await close();
    throw err;
  }
  return {
    url,
    installToken: installNeeded ? token : null,
    dir: config.dir,
    workers: () => slots.flatMap((s) => (s.worker?.process.pid ? [{ id: s.id, pid: s.worker.process.pid }] : [])),
    close,
  };
}
