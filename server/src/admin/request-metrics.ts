/**
 * The per-request HTTP series (request count by method, route and status; latency histogram by
 * method and route), kept in plain maps and arrays and registered in a prom-client registry as
 * metrics of their own. prom-client's labelled `inc`/`observe` validate and hash the label
 * object on every call, which showed in the request profile; here a request costs three map
 * lookups by values it already holds (route, method, status: no key string is built), and the
 * exposition (names, labels, cumulative `le` buckets, `_sum`, `_count`) is the same as
 * prom-client's Counter and Histogram write.
 */
import type client from 'prom-client';

interface CountSeries {
  labels: { method: string; route: string; status: string };
  value: number;
}

interface LatencySeries {
  labels: { method: string; route: string };
  /** Non-cumulative counts per bucket; the last slot is above every bound (+Inf only). */
  counts: number[];
  sum: number;
  count: number;
}

interface MetricValue {
  labels: Record<string, string | number>;
  /** The series' labels, written after `labels` (where prom-client's histograms put theirs). */
  sharedLabels?: Record<string, string>;
  value: number;
  metricName?: string;
}

export interface RequestMetrics {
  observe(method: string, route: string, status: number, seconds: number): void;
}

/**
 * A metric object as prom-client's registry reads it: `getForPromString()` for the text
 * exposition, `get()` (shared labels merged in) for the JSON one, as its own metrics do.
 */
function metric(name: string, help: string, type: 'counter' | 'histogram', values: () => MetricValue[]): client.Metric {
  const data = (list: MetricValue[]) => ({ name, help, type, values: list, aggregator: 'sum' });
  const out = {
    name,
    help,
    type,
    aggregator: 'sum',
    getForPromString: async () => data(values()),
    get: async () => data(values().map(({ sharedLabels, ...v }) => ({ ...v, labels: { ...v.labels, ...sharedLabels } }))),
    reset: () => {},
  };
  return out as unknown as client.Metric;
}

/** One (method, route) pair: its latency series and its counters by status. */
interface RouteSeries {
  latency: LatencySeries;
  byStatus: Map<number, CountSeries>;
}

export function createRequestMetrics(registry: client.Registry, buckets: readonly number[]): RequestMetrics {
  // Series in insertion order (the exposition's order); found per request through nested maps
  // keyed by the strings the caller already holds, so no key is built per request.
  const counts: CountSeries[] = [];
  const latencies: LatencySeries[] = [];
  const routes = new Map<string, Map<string, RouteSeries>>();
  const bounds = [...buckets].sort((a, b) => a - b);

  registry.registerMetric(
    metric('hearth_http_requests_total', 'HTTP requests answered, by method, route template and status.', 'counter', () =>
      counts.map((s) => ({ labels: s.labels, value: s.value })),
    ),
  );
  const histogramName = 'hearth_http_request_duration_seconds';
  registry.registerMetric(
    metric(histogramName, 'Time from request to response headers, by method and route template.', 'histogram', () => {
      const values: MetricValue[] = [];
      for (const s of latencies) {
        let acc = 0;
        for (let i = 0; i < bounds.length; i++) {
          acc += s.counts[i]!;
          values.push({ labels: { le: bounds[i]! }, sharedLabels: s.labels, value: acc, metricName: `${histogramName}_bucket` });
        }
        values.push({ labels: { le: '+Inf' }, sharedLabels: s.labels, value: s.count, metricName: `${histogramName}_bucket` });
        values.push({ labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${histogramName}_sum` });
        values.push({ labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${histogramName}_count` });
      }
      return values;
    }),
  );

  const seriesOf = (method: string, route: string): RouteSeries => {
    let byMethod = routes.get(route);
    if (!byMethod) routes.set(route, (byMethod = new Map()));
    let r = byMethod.get(method);
    if (!r) {
      const latency: LatencySeries = { labels: { method, route }, counts: new Array<number>(bounds.length + 1).fill(0), sum: 0, count: 0 };
      latencies.push(latency);
      byMethod.set(method, (r = { latency, byStatus: new Map() }));
    }
    return r;
  };

  return {
    observe(method, route, status, seconds) {
      const r = seriesOf(method, route);
      const c = r.byStatus.get(status);
      if (c) c.value += 1;
      else {
        const series: CountSeries = { labels: { method, route, status: String(status) }, value: 1 };
        counts.push(series);
        r.byStatus.set(status, series);
      }
      const l = r.latency;
      let i = 0;
      while (i < bounds.length && seconds > bounds[i]!) i++;
      l.counts[i]! += 1;
      l.sum += seconds;
      l.count += 1;
    },
  };
}
