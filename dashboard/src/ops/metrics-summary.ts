/**
 * What the metrics page shows, computed from one scrape of `/api/metrics`: request counts by
 * status class and by route (with mean and p95 latency), overall latency quantiles, SQLite time,
 * realtime gauges, request-log buffering and process memory/CPU. Absent metrics come out NaN.
 */
import { MetricSet, histogramQuantile, mergedBuckets } from './prometheus.ts';

const REQUESTS = 'hearth_http_requests_total';
const LATENCY = 'hearth_http_request_duration_seconds';
/** Routes listed on the page, busiest first; the rest are summed in the totals only. */
export const TOP_ROUTES = 15;

export interface RouteRow {
  method: string;
  route: string;
  count: number;
  errors: number;
  meanSeconds: number;
  p95Seconds: number;
}

export interface MetricsSummary {
  requests: { total: number; byClass: Record<string, number> };
  latency: { mean: number; p50: number; p95: number; p99: number };
  routes: RouteRow[];
  db: { statements: number; seconds: number; logsSeconds: number };
  realtime: { connections: number; subscriptions: number; queued: number; lag: number; latestSeq: number; slowClosed: number };
  logs: { pending: number; dropped: number };
  process: { rss: number; heapUsed: number; heapTotal: number; external: number; cpuSeconds: number; uptimeSeconds: number; eventLoopP99: number; nodeVersion: string };
}

function routes(set: MetricSet): RouteRow[] {
  const rows = new Map<string, RouteRow>();
  for (const s of set.all(REQUESTS)) {
    const method = s.labels.method ?? '';
    const route = s.labels.route ?? '';
    const key = `${method} ${route}`;
    const row = rows.get(key) ?? { method, route, count: 0, errors: 0, meanSeconds: NaN, p95Seconds: NaN };
    row.count += s.value;
    if (Number(s.labels.status) >= 500) row.errors += s.value;
    rows.set(key, row);
  }
  const top = [...rows.values()].sort((a, b) => b.count - a.count).slice(0, TOP_ROUTES);
  for (const row of top) {
    const match = (l: Record<string, string>) => l.method === row.method && l.route === row.route;
    row.meanSeconds = set.sum(`${LATENCY}_sum`, match) / set.sum(`${LATENCY}_count`, match);
    row.p95Seconds = histogramQuantile(0.95, mergedBuckets(set, LATENCY, match));
  }
  return top;
}

export function summarize(set: MetricSet, now = Date.now()): MetricsSummary {
  const byClass: Record<string, number> = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
  for (const s of set.all(REQUESTS)) {
    const cls = `${String(s.labels.status ?? '').charAt(0)}xx`;
    byClass[cls] = (byClass[cls] ?? 0) + s.value;
  }
  const buckets = mergedBuckets(set, LATENCY);
  const started = set.sum('process_start_time_seconds');
  return {
    requests: { total: set.has(REQUESTS) ? set.sum(REQUESTS) : 0, byClass },
    latency: {
      mean: set.sum(`${LATENCY}_sum`) / set.sum(`${LATENCY}_count`),
      p50: histogramQuantile(0.5, buckets),
      p95: histogramQuantile(0.95, buckets),
      p99: histogramQuantile(0.99, buckets),
    },
    routes: routes(set),
    db: { statements: set.sum('hearth_db_statements_total'), seconds: set.sum('hearth_db_statement_seconds_total'), logsSeconds: set.sum('hearth_logs_db_statement_seconds_total') },
    realtime: {
      connections: set.sum('hearth_realtime_connections'),
      subscriptions: set.sum('hearth_realtime_subscriptions'),
      queued: set.sum('hearth_realtime_queued_messages'),
      lag: set.sum('hearth_realtime_change_lag'),
      latestSeq: set.sum('hearth_realtime_latest_seq'),
      slowClosed: set.sum('hearth_realtime_slow_consumers_closed_total'),
    },
    logs: { pending: set.sum('hearth_logs_pending'), dropped: set.sum('hearth_logs_dropped_total') },
    process: {
      rss: set.sum('process_resident_memory_bytes'),
      heapUsed: set.sum('nodejs_heap_size_used_bytes'),
      heapTotal: set.sum('nodejs_heap_size_total_bytes'),
      external: set.sum('nodejs_external_memory_bytes'),
      cpuSeconds: set.sum('process_cpu_seconds_total'),
      uptimeSeconds: now / 1000 - started,
      eventLoopP99: set.sum('nodejs_eventloop_lag_p99_seconds'),
      nodeVersion: set.all('nodejs_version_info')[0]?.labels.version ?? '',
    },
  };
}
