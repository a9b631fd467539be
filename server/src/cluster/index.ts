/**
 * cluster/ — `hearth serve --workers N`: the primary (lock, one-time setup, forking, relaying
 * commit notes, restarts, draining), the worker side of the link, and the wiring of a worker's
 * services to it. Sits beside main.ts (it starts servers); nothing below imports it.
 */
export { startCluster, type ClusterHandle } from './primary.ts';
export { runWorker, isClusterWorker } from './worker.ts';
export { resolveWorkerCount, MAX_WORKERS } from './worker-count.ts';
