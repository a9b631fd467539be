/**
 * Wires the request log and the metrics for one server: the log store on `logs.db` in the data
 * dir, reading the `logs` settings section at each use, and the metrics over the data file's
 * statement timings, the realtime hub and the log buffer.
 */
import type { SqlDb } from '../db/index.ts';
import type { Logger } from '../shared/logger.ts';
import { createLogStore, type LogStore, type LogsSettings } from './logs/index.ts';
import { createMetrics, type Metrics, type MetricsSources } from './metrics.ts';

export interface ObservabilityInput {
  dir: string;
  /** The data file's statement timings (SQLite); null on PostgreSQL, whose statistics are its own (pg_stat_statements). */
  db: Pick<SqlDb, 'stats'> | null;
  /** The `logs` settings section (PocketBase's shape), read at each use. */
  logsSettings: () => LogsSettings;
  realtime: MetricsSources['realtime'];
  logger: Logger;
  metricsToken: string;
}

export interface Observability {
  logs: LogStore;
  logsSettings: () => LogsSettings;
  metrics: Metrics;
  metricsToken: string;
  close(): void;
}

export function createObservability(input: ObservabilityInput): Observability {
  const logsSettings = input.logsSettings;
  const logs = createLogStore({ dir: input.dir, settings: logsSettings, logger: input.logger });
  const metrics = createMetrics({
    db: input.db?.stats ?? null,
    logsDb: logs.db.stats,
    realtime: input.realtime,
    logs: () => ({ pending: logs.pending, dropped: logs.dropped }),
  });
  return { logs, logsSettings, metrics, metricsToken: input.metricsToken, close: () => logs.close() };
}
