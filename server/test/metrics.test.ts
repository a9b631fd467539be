/**
 * GET /api/metrics: guarded (superuser or the configured metrics token), and valid Prometheus
 * text that a real parser reads — request counts by route template and status, latency
 * histograms, SQLite time, realtime gauges that follow an open WebSocket, process memory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import parsePrometheusTextFormat, { type MetricFamily, type Sample } from 'parse-prometheus-text-format';
import { startServer, type TestServer } from './harness.ts';
import { itSqliteOnly } from './sqlite-only.ts';

const TOKEN = 'scrape-secret-0123456789';
let t: TestServer;

async function scrapeText(auth = `Bearer ${TOKEN}`): Promise<string> {
  const res = await fetch(`${t.url}/api/metrics`, { headers: { authorization: auth } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

async function scrape(auth?: string): Promise<Map<string, MetricFamily>> {
  return new Map(parsePrometheusTextFormat(await scrapeText(auth)).map((f) => [f.name, f]));
}

/**
 * The parser merges the series of a labelled histogram into one; give it one series at a
 * time (the family's comment lines plus the lines carrying every label in `labels`) to read its buckets.
 */
function histogramSeries(text: string, name: string, labels: string[]): Sample | undefined {
  const lines = text.split('\n').filter((l) => l.startsWith(`# HELP ${name} `) || l.startsWith(`# TYPE ${name} `) || (l.startsWith(`${name}_`) && labels.every((x) => l.includes(x))));
  return parsePrometheusTextFormat(lines.join('\n') + '\n')[0]?.metrics[0];
}

function family(m: Map<string, MetricFamily>, name: string): MetricFamily {
  const f = m.get(name);
  if (!f) throw new Error(`metric ${name} missing`);
  return f;
}

const value = (s: Sample | undefined): number => Number(s?.value);
const find = (f: MetricFamily, labels: Record<string, string>): Sample | undefined =>
  f.metrics.find((s) => Object.entries(labels).every(([k, v]) => s.labels?.[k] === v));

beforeAll(async () => {
  t = await startServer({ metricsToken: TOKEN });
  const created = await t.api('POST', '/api/collections', { name: 'notes', type: 'base', listRule: '', viewRule: '', fields: [{ name: 'title', type: 'text' }] }, t.adminToken);
  expect(created.status).toBe(200);
});

afterAll(async () => {
  await t.close();
});

describe('GET /api/metrics', () => {
  it('needs a superuser or the metrics token', async () => {
    expect((await t.api('GET', '/api/metrics')).status).toBe(401);
    const wrong = await fetch(`${t.url}/api/metrics`, { headers: { authorization: 'Bearer not-the-token' } });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).data).toEqual({});
    const admin = await fetch(`${t.url}/api/metrics`, { headers: { authorization: t.adminToken } });
    expect(admin.status).toBe(200);
  });

  it('counts requests by route template and status, with latency histograms', async () => {
    for (let i = 0; i < 3; i++) expect((await t.api('GET', `/api/collections/notes/records?page=${i + 1}`)).status).toBe(200);
    expect((await t.api('GET', '/api/collections/notes/records/missing12345678')).status).toBe(404);
    expect((await t.api('GET', '/no/such/route')).status).toBe(404);
    // `/api/logs/stats` is served by the `/api/logs/:id` handler, and still counted under its own name.
    expect((await t.api('GET', '/api/logs/stats', undefined, t.adminToken)).status).toBe(200);
    const text = await scrapeText();
    const m = new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f]));
    const requests = family(m, 'hearth_http_requests_total');
    expect(requests.type).toBe('COUNTER');
    const list = find(requests, { method: 'GET', route: '/api/collections/:collection/records', status: '200' });
    expect(value(list)).toBe(3);
    expect(value(find(requests, { route: '/api/collections/:collection/records/:id', status: '404' }))).toBe(1);
    // Unknown paths share one label value: a scanner cannot blow up the series count.
    expect(value(find(requests, { route: 'unmatched', status: '404' }))).toBe(1);
    expect(value(find(requests, { method: 'GET', route: '/api/logs/stats', status: '200' }))).toBe(1);
    expect(requests.metrics.some((s) => s.labels?.route === '/api/logs/:id')).toBe(false);
    expect(requests.metrics.some((s) => s.labels?.route?.includes('missing12345678'))).toBe(false);

    const latency = family(m, 'hearth_http_request_duration_seconds');
    expect(latency.type).toBe('HISTOGRAM');
    const h = histogramSeries(text, 'hearth_http_request_duration_seconds', ['method="GET"', 'route="/api/collections/:collection/records"']);
    // (The parser keeps a labelled series' buckets but not its _sum/_count.)
    const buckets = Object.entries(h?.buckets ?? {}).map(([le, n]) => [Number(le), Number(n)] as const);
    expect(buckets.length).toBeGreaterThan(5);
    expect(Number(h?.buckets?.['+Inf'])).toBe(3);
    const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]![1]).toBeGreaterThanOrEqual(sorted[i - 1]![1]);
  });

  itSqliteOnly('reports SQLite statement time on the data file', 'PostgreSQL keeps its own statement statistics (pg_stat_statements)', async () => {
    const m = await scrape();
    expect(value(family(m, 'hearth_db_statements_total').metrics[0])).toBeGreaterThan(0);
    expect(value(family(m, 'hearth_db_statement_seconds_total').metrics[0])).toBeGreaterThan(0);
  });

  it('reports process memory', async () => {
    const m = await scrape();
    expect(value(family(m, 'process_resident_memory_bytes').metrics[0])).toBeGreaterThan(10 * 1024 * 1024);
    expect(family(m, 'nodejs_heap_size_used_bytes').metrics.length).toBe(1);
  });

  it('follows realtime connections, subscriptions and the change log', async () => {
    const before = await scrape();
    expect(value(family(before, 'hearth_realtime_connections').metrics[0])).toBe(0);
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/api/realtime/ws`);
    const messages: { type: string }[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(String(d))));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ type: 'subscribe', id: 's1', collection: 'notes' }));
    await expect.poll(() => messages.some((msg) => msg.type === 'subscribed')).toBe(true);
    expect((await t.api('POST', '/api/collections/notes/records', { title: 'a' }, t.adminToken)).status).toBe(200);
    await expect.poll(() => messages.some((msg) => msg.type === 'change')).toBe(true);
    const during = await scrape();
    expect(value(family(during, 'hearth_realtime_connections').metrics[0])).toBe(1);
    expect(value(family(during, 'hearth_realtime_subscriptions').metrics[0])).toBe(1);
    expect(value(family(during, 'hearth_realtime_latest_seq').metrics[0])).toBeGreaterThanOrEqual(1);
    expect(value(family(during, 'hearth_realtime_change_lag').metrics[0])).toBe(0);
    expect(value(family(during, 'hearth_realtime_queued_messages').metrics[0])).toBe(0);
    ws.close();
    await expect.poll(async () => value(family(await scrape(), 'hearth_realtime_connections').metrics[0])).toBe(0);
  });
});
