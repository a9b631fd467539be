/**
 * What the primary and its workers say to each other over the cluster IPC channel, and the
 * environment a worker is started with. Internal to cluster/.
 *
 * Start-up: a worker loads its code, says `hearth:loaded` and waits for `hearth:start` before it
 * opens the database. The primary lets the first one start at once — it migrates the database
 * and creates the system collections — and the others once that one listens; so every worker
 * loads in parallel, and the database is set up exactly once before any other opens it.
 */
import type { PeerNote } from '../shared/peers.ts';

/** Set in a worker's environment: its id (1..N). */
export const WORKER_ID_ENV = 'HEARTH_CLUSTER_WORKER';
/** Set in a worker's environment: the deployment's first-superuser install token (used while none exists). */
export const INSTALL_TOKEN_ENV = 'HEARTH_CLUSTER_INSTALL_TOKEN';

export type WorkerMessage =
  | { type: 'hearth:loaded' }
  /** `installNeeded`: no superuser exists yet (the install token is live). */
  | { type: 'hearth:listening'; url: string; installNeeded: boolean }
  | { type: 'hearth:note'; note: PeerNote }
  /** Run `op` on worker `to`; its answer comes back as a reply with the same `rid`. */
  | { type: 'hearth:call'; to: number; rid: number; op: unknown }
  | { type: 'hearth:reply'; to: number; rid: number; result: unknown; failed?: string };

export type PrimaryMessage =
  | { type: 'hearth:start' }
  | { type: 'hearth:note'; note: PeerNote }
  | { type: 'hearth:shutdown' }
  | { type: 'hearth:call'; from: number; rid: number; op: unknown }
  | { type: 'hearth:reply'; rid: number; result: unknown; failed?: string };

const NOTES: readonly PeerNote[] = ['records', 'schema', 'settings'];

/** True in a process the primary forked as a worker. */
export const isClusterWorker = (): boolean => process.env[WORKER_ID_ENV] !== undefined && typeof process.send === 'function';

export function isWorkerMessage(m: unknown): m is WorkerMessage {
  if (!m || typeof m !== 'object') return false;
  const v = m as { type?: unknown; url?: unknown; note?: unknown; installNeeded?: unknown };
  if (v.type === 'hearth:loaded') return true;
  if (v.type === 'hearth:listening') return typeof v.url === 'string' && typeof v.installNeeded === 'boolean';
  if (v.type === 'hearth:call' || v.type === 'hearth:reply') return typeof (m as { to?: unknown }).to === 'number' && typeof (m as { rid?: unknown }).rid === 'number';
  return v.type === 'hearth:note' && NOTES.includes(v.note as PeerNote);
}

export function isPrimaryMessage(m: unknown): m is PrimaryMessage {
  if (!m || typeof m !== 'object') return false;
  const v = m as { type?: unknown; note?: unknown };
  if (v.type === 'hearth:call' || v.type === 'hearth:reply') return typeof (m as { rid?: unknown }).rid === 'number';
  return v.type === 'hearth:start' || v.type === 'hearth:shutdown' || (v.type === 'hearth:note' && NOTES.includes(v.note as PeerNote));
}
