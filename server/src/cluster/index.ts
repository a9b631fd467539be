/**
 * cluster/ — `hearth serve --workers N`: the primary (lock, forking, start-up order, relaying
 * commit notes, restarts, draining), the worker side of the link, and the wiring of a worker's
 * services to it. Sits beside main.ts (it starts servers); nothing below imports it. launch.ts is
 * the light entry the CLI starts from.
 */
export { startCluster, isClusterWorker, resolveWorkerCount, MAX_WORKERS, type ClusterHandle } from './launch.ts';
export { runWorker } from './worker.ts';
