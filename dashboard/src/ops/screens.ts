/** The operations screens (logs, backups, metrics): one chunk, loaded when one is first opened. */
export { BackupsScreen } from './backups.tsx';
export { LogsScreen } from './logs.tsx';
export { MetricsScreen } from './metrics.tsx';
