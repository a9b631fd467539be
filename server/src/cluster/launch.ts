/**
 * `@hearth/server/cluster`: what `hearth serve` needs before it knows which process it is — the
 * worker count, whether this process is a worker, and the primary. Loads neither the server nor
 * the database layer, so a cluster's primary stays small; a worker or a single process imports
 * `@hearth/server` for the rest.
 */
export { startCluster, type ClusterHandle } from './primary.ts';
export { isClusterWorker } from './messages.ts';
export { resolveWorkerCount, MAX_WORKERS } from './worker-count.ts';
