/**
 * Prometheus metrics (prom-client, a registry of our own): HTTP requests by route template and
 * status, latency histograms, SQLite statement time, realtime connections, subscriptions,
 * queued messages and change-log lag, request-log buffering, and Node's process metrics
 * (memory, CPU, event-loop delay, GC). Values owned by other services are read at scrape time.
 */
import client from 'prom-client';
import type { DbStats } from '../db/index.ts';
import { createRequestMetrics } from './request-metrics.ts';

/** Latency buckets (seconds): sub-millisecond reads up to slow exports. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface MetricsSources {
  /** The data file (SQLite); null when the database is PostgreSQL. */
  db: DbStats | null;
  logsDb?: DbStats;
  realtime: () => { connections: number; subscriptions: number; closedSlow: number; queuedMessages: number; throughSeq: number; latestSeq: number };
  logs?: () => { pending: number; dropped: number };
}

export interface Metrics {
  readonly contentType: string;
  /** Records one finished HTTP request; `route` is the matched template (`/api/collections/:c/records`). */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  render(): Promise<string>;
}

/** A counter whose value is owned elsewhere and copied in at scrape time. */
function mirroredCounter(registry: client.Registry, name: string, help: string, read: () => number): void {
  new client.Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

function mirroredGauge(registry: client.Registry, name: string, help: string, read: () => number): void {
  new client.Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}

export function createMetrics(sources: MetricsSources): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const requests = createRequestMetrics(registry, LATENCY_BUCKETS);
  if (sources.db) {
    const db = sources.db;
    mirroredCounter(registry, 'hearth_db_statements_total', 'SQLite statements run on the data file.', () => db.statements);
    mirroredCounter(registry, 'hearth_db_statement_seconds_total', 'Time spent in SQLite running statements on the data file.', () => db.seconds);
  }
  if (sources.logsDb) {
    const logsDb = sources.logsDb;
    mirroredCounter(registry, 'hearth_logs_db_statement_seconds_total', 'Time spent in SQLite on the request-log file.', () => logsDb.seconds);
  }
  const rt = sources.realtime;
  mirroredGauge(registry, 'hearth_realtime_connections', 'Open realtime connections (WebSocket and SSE).', () => rt().connections);
  mirroredGauge(registry, 'hearth_realtime_subscriptions', 'Active realtime subscriptions.', () => rt().subscriptions);
  mirroredGauge(registry, 'hearth_realtime_queued_messages', 'Messages waiting in connections’ outbound queues.', () => rt().queuedMessages);
  mirroredGauge(registry, 'hearth_realtime_change_lag', 'Committed changes (seqs) not yet fanned out to subscribers.', () => {
    const s = rt();
    return Math.max(0, s.latestSeq - s.throughSeq);
  });
  mirroredGauge(registry, 'hearth_realtime_latest_seq', 'Highest change-log sequence number.', () => rt().latestSeq);
  mirroredCounter(registry, 'hearth_realtime_slow_consumers_closed_total', 'Connections closed (1013) for exceeding their queue limit.', () => rt().closedSlow);
  if (sources.logs) {
    const logs = sources.logs;
    mirroredGauge(registry, 'hearth_logs_pending', 'Request-log entries waiting for their batch write.', () => logs().pending);
    mirroredCounter(registry, 'hearth_logs_dropped_total', 'Request-log entries dropped because the write buffer was full.', () => logs().dropped);
  }
  return {
    contentType: registry.contentType,
    observeRequest: (method, route, status, seconds) => requests.observe(method, route, status, seconds),
    render: () => registry.metrics(),
  };
}
