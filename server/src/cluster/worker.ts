/**
 * One worker of `hearth serve --workers N`: a full server (its own SQLite connection) that skips
 * the data-dir lock (the primary holds it), opens the database only once the primary says so
 * (messages.ts), announces its commits to the primary (which relays them to the other workers),
 * and drains on the primary's shutdown message, on SIGTERM/SIGINT, or when the primary goes away.
 */
import { createServer, type HearthServer, type ServerInput } from '../main.ts';
import { CALL_TIMEOUT_MS, type PeerLink, type PeerNote } from '../shared/peers.ts';
import { INSTALL_TOKEN_ENV, isPrimaryMessage, WORKER_ID_ENV, type WorkerMessage } from './messages.ts';

function send(message: WorkerMessage): void {
  if (process.connected) process.send!(message);
}

function processLink(workerId: number): PeerLink {
  const handlers: Array<(note: PeerNote) => void> = [];
  let onCall: ((op: unknown) => unknown) | null = null;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextRid = 1;
  process.on('message', (m: unknown) => {
    if (!isPrimaryMessage(m)) return;
    if (m.type === 'hearth:note') for (const h of handlers) h(m.note);
    else if (m.type === 'hearth:call') {
      const { from, rid } = m;
      Promise.resolve()
        .then(() => (onCall ? onCall(m.op) : Promise.reject(new Error('no call handler'))))
        .then(
          (result) => send({ type: 'hearth:reply', to: from, rid, result }),
          (err: unknown) => send({ type: 'hearth:reply', to: from, rid, result: null, failed: String((err as Error)?.message ?? err) }),
        );
    } else if (m.type === 'hearth:reply') {
      const w = waiting.get(m.rid);
      waiting.delete(m.rid);
      if (w) m.failed === undefined ? w.resolve(m.result) : w.reject(new Error(m.failed));
    }
  });
  return {
    workerId,
    announce: (note) => send({ type: 'hearth:note', note }),
    onNote: (handler) => void handlers.push(handler),
    call: (to, op) =>
      new Promise((resolve, reject) => {
        const rid = nextRid++;
        const timer = setTimeout(() => {
          waiting.delete(rid);
          reject(new Error(`worker ${to} did not answer within ${CALL_TIMEOUT_MS} ms`));
        }, CALL_TIMEOUT_MS);
        waiting.set(rid, {
          resolve: (v) => (clearTimeout(timer), resolve(v)),
          reject: (e) => (clearTimeout(timer), reject(e)),
        });
        send({ type: 'hearth:call', to, rid, op });
      }),
    onCall: (handler) => void (onCall = handler),
  };
}

/** Says this worker's code is loaded; resolves on the primary's go (false: it is shutting down instead). */
function startSignal(): Promise<boolean> {
  return new Promise((resolve) => {
    const onMessage = (m: unknown): void => {
      if (!isPrimaryMessage(m) || m.type === 'hearth:note') return;
      done(m.type === 'hearth:start');
    };
    const onGone = (): void => done(false);
    const done = (go: boolean): void => {
      process.off('message', onMessage);
      process.off('disconnect', onGone);
      resolve(go);
    };
    process.on('message', onMessage);
    process.once('disconnect', onGone);
    send({ type: 'hearth:loaded' });
  });
}

/** Serves until told to stop, then exits the process (0 after a clean drain). */
export async function runWorker(input: ServerInput, shutdownTimeoutMs: number): Promise<HearthServer> {
  const workerId = Number(process.env[WORKER_ID_ENV]);
  if (!(await startSignal())) process.exit(0);
  const server = createServer({ ...input, cluster: processLink(workerId), installToken: process.env[INSTALL_TOKEN_ENV] || undefined });
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    setTimeout(() => {
      process.stderr.write(`hearth: worker ${workerId} shutdown timed out; exiting\n`);
      process.exit(1);
    }, shutdownTimeoutMs).unref();
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`hearth: worker ${workerId} shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('message', (m: unknown) => {
    if (isPrimaryMessage(m) && m.type === 'hearth:shutdown') stop();
  });
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop);
  const { url } = await server.listen();
  send({ type: 'hearth:listening', url, installNeeded: server.installToken() !== null });
  return server;
}
