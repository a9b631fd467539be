/**
 * The dashboard's Prometheus reader against a real server's `/api/metrics`: every sample agrees
 * with an independent parser (parse-prometheus-text-format), the summary counts requests by
 * route exactly, and histogram quantiles follow PromQL's interpolation.
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../server/test/harness.ts';
import { summarize } from '../src/ops/metrics-summary.ts';
import { MetricSet, histogramQuantile, parsePrometheus } from '../src/ops/prometheus.ts';

describe('Prometheus text in the dashboard', () => {
  let t: TestServer;
  let text: string;
  beforeAll(async () => {
    t = await startServer();
    for (let i = 0; i < 7; i++) await t.api('GET', '/api/health');
    await t.api('GET', '/api/collections/nosuch/records');
    const res = await fetch(`${t.url}/api/metrics`, { headers: { authorization: t.adminToken } });
    text = await res.text();
  });
  afterAll(() => t.close());

  it('reads every sample the reference parser reads, with the same value', () => {
    const mine = new MetricSet(parsePrometheus(text));
    const families = parsePrometheusTextFormat(text);
    expect(families.length).toBeGreaterThan(10);
    for (const f of families) {
      for (const m of f.metrics) {
        if (f.type === 'HISTOGRAM' || f.type === 'SUMMARY') continue; // histograms: below
        const same = (l: Record<string, string>) => Object.keys(l).length === Object.keys(m.labels ?? {}).length && Object.entries(m.labels ?? {}).every(([k, v]) => l[k] === v);
        expect(mine.sum(f.name, same)).toBe(Number(m.value));
      }
    }
  });

  it('reads histograms: the names the reference parser finds, and per series a _count equal to the +Inf bucket', () => {
    const mine = new MetricSet(parsePrometheus(text));
    const histograms = parsePrometheusTextFormat(text).filter((f) => f.type === 'HISTOGRAM' && f.metrics.some((m) => Object.keys(m.buckets ?? {}).length > 0));
    expect(histograms.map((f) => f.name)).toContain('hearth_http_request_duration_seconds');
    // (The reference folds a histogram's labelled series into one, so only names are compared.)
    const mineNames = new Set(mine.samples.filter((x) => x.name.endsWith('_bucket')).map((x) => x.name.slice(0, -'_bucket'.length)));
    expect([...mineNames].sort()).toEqual(histograms.map((f) => f.name).sort());
    for (const f of histograms) {
      const inf = mine.all(`${f.name}_bucket`).filter((x) => x.labels.le === '+Inf');
      expect(inf.length).toBeGreaterThan(0);
      for (const x of inf) {
        const { le: _le, ...labels } = x.labels;
        const same = (l: Record<string, string>) => Object.keys(l).length === Object.keys(labels).length && Object.entries(labels).every(([k, v]) => l[k] === v);
        expect(mine.sum(`${f.name}_count`, same)).toBe(x.value);
      }
    }
  });

  it('summarizes requests by route and status class', () => {
    const s = summarize(new MetricSet(parsePrometheus(text)));
    const health = s.routes.find((r) => r.method === 'GET' && r.route === '/api/health');
    expect(health).toMatchObject({ count: 7, errors: 0 });
    expect(health!.meanSeconds).toBeGreaterThan(0);
    expect(health!.p95Seconds).toBeGreaterThan(0);
    expect(s.requests.byClass['4xx']).toBeGreaterThanOrEqual(1);
    expect(s.requests.total).toBe(Object.values(s.requests.byClass).reduce((a, b) => a + b, 0));
    expect(s.process.rss).toBeGreaterThan(1024 * 1024);
    expect(s.db.statements).toBeGreaterThan(0);
    expect(s.realtime.connections).toBe(0);
  });

  it('estimates quantiles from cumulative buckets like histogram_quantile', () => {
    const buckets: Array<[number, number]> = [
      [0.1, 10],
      [0.5, 30],
      [1, 40],
      [Infinity, 40],
    ];
    expect(histogramQuantile(0.25, buckets)).toBeCloseTo(0.1);
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(0.3);
    expect(histogramQuantile(0.95, buckets)).toBeCloseTo(0.5 + 0.5 * (8 / 10));
    expect(histogramQuantile(0.99, [[1, 1], [Infinity, 100]])).toBe(1);
    expect(histogramQuantile(0.5, [[1, 0], [Infinity, 0]])).toBeNaN();
  });

  it('reads escaped label values and special numbers', () => {
    const [a, b] = parsePrometheus('# HELP x y\nx{path="a\\"b\\\\c",n="1"} +Inf\ny -2.5e-3 1700000000\n');
    expect(a).toEqual({ name: 'x', labels: { path: 'a"b\\c', n: '1' }, value: Infinity });
    expect(b).toEqual({ name: 'y', labels: {}, value: -0.0025 });
  });
});
