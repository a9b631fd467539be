/**
 * What the primary and its workers say to each other over the cluster IPC channel, and the
 * environment a worker is started with. Internal to cluster/.
 */
import type { PeerNote } from '../shared/peers.ts';

/** Set in a worker's environment: its id (1..N). */
export const WORKER_ID_ENV = 'HEARTH_CLUSTER_WORKER';
/** Set in a worker's environment while no superuser exists: the install token the primary printed. */
export const INSTALL_TOKEN_ENV = 'HEARTH_CLUSTER_INSTALL_TOKEN';

export type WorkerMessage =
  | { type: 'hearth:listening'; url: string }
  | { type: 'hearth:note'; note: PeerNote };

export type PrimaryMessage = { type: 'hearth:note'; note: PeerNote } | { type: 'hearth:shutdown' };

const NOTES: readonly PeerNote[] = ['records', 'schema', 'settings'];

export function isWorkerMessage(m: unknown): m is WorkerMessage {
  if (!m || typeof m !== 'object') return false;
  const v = m as { type?: unknown; url?: unknown; note?: unknown };
  return (v.type === 'hearth:listening' && typeof v.url === 'string') || (v.type === 'hearth:note' && NOTES.includes(v.note as PeerNote));
}

export function isPrimaryMessage(m: unknown): m is PrimaryMessage {
  if (!m || typeof m !== 'object') return false;
  const v = m as { type?: unknown; note?: unknown };
  return v.type === 'hearth:shutdown' || (v.type === 'hearth:note' && NOTES.includes(v.note as PeerNote));
}
