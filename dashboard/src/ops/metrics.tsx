/**
 * Metrics (`/api/metrics`): the Prometheus text read into panels people can scan — requests by
 * status class and route, latency, SQLite time, realtime, request log, process memory — with a
 * request rate between refreshes, optional auto-refresh, and the raw text underneath.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Checkbox, ErrorBanner } from '../ui/form.tsx';
import { useSubmit } from '../ui/use-submit.ts';
import { metricsApi } from './api.ts';
import { formatBytes, formatCount, formatSeconds } from './format.ts';
import { summarize, type MetricsSummary } from './metrics-summary.ts';
import { MetricSet, parsePrometheus } from './prometheus.ts';

/** Auto-refresh period: often enough to watch a load test, rare enough to stay out of the way. */
export const METRICS_REFRESH_MS = 5000;

interface Scrape {
  at: number;
  text: string;
  summary: MetricsSummary;
}

function Panel(props: { title: string; rows: Array<[string, ComponentChildren]> }) {
  return (
    <section class="card metric-panel" aria-label={props.title}>
      <h2>{props.title}</h2>
      <dl>
        {props.rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function MetricsScreen() {
  const [scrape, setScrape] = useState<Scrape | null>(null);
  const [rate, setRate] = useState<number | null>(null);
  const [auto, setAuto] = useState(false);
  const last = useRef<Scrape | null>(null);
  const load = useSubmit(async () => {
    const text = await metricsApi.text();
    const at = Date.now();
    const next = { at, text, summary: summarize(new MetricSet(parsePrometheus(text)), at) };
    const prev = last.current;
    if (prev) setRate(((next.summary.requests.total - prev.summary.requests.total) * 1000) / Math.max(1, at - prev.at));
    last.current = next;
    setScrape(next);
  });
  useEffect(() => void load.run(), []);
  useEffect(() => {
    if (!auto) return;
    const timer = setInterval(() => void load.run(), METRICS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [auto]);

  const s = scrape?.summary;
  return (
    <section class="metrics">
      <header class="page-head">
        <h1>Metrics</h1>
        <button type="button" class="ghost" onClick={() => void load.run()} disabled={load.busy}>
          ↻ Refresh
        </button>
        <Checkbox label={`Refresh every ${METRICS_REFRESH_MS / 1000} s`} checked={auto} onChange={setAuto} />
        {scrape && <span class="muted">as of {new Date(scrape.at).toISOString().slice(11, 19)} UTC</span>}
      </header>
      <ErrorBanner message={load.error?.message} />
      {s && (
        <>
          <div class="metric-panels">
            <Panel
              title="Requests"
              rows={[
                ['Total', formatCount(s.requests.total)],
                ...Object.entries(s.requests.byClass).map(([k, v]): [string, string] => [k, formatCount(v)]),
                ['Rate since last refresh', rate === null ? '—' : `${rate.toFixed(1)}/s`],
              ]}
            />
            <Panel
              title="Latency"
              rows={[
                ['Mean', formatSeconds(s.latency.mean)],
                ['p50', formatSeconds(s.latency.p50)],
                ['p95', formatSeconds(s.latency.p95)],
                ['p99', formatSeconds(s.latency.p99)],
              ]}
            />
            <Panel
              title="Database"
              rows={[
                ['Statements', formatCount(s.db.statements)],
                ['Time in SQLite', formatSeconds(s.db.seconds)],
                ['Mean per statement', formatSeconds(s.db.seconds / s.db.statements)],
                ['Request-log file time', formatSeconds(s.db.logsSeconds)],
              ]}
            />
            <Panel
              title="Realtime"
              rows={[
                ['Connections', formatCount(s.realtime.connections)],
                ['Subscriptions', formatCount(s.realtime.subscriptions)],
                ['Queued messages', formatCount(s.realtime.queued)],
                ['Change-log lag', formatCount(s.realtime.lag)],
                ['Latest change seq', formatCount(s.realtime.latestSeq)],
                ['Slow clients closed', formatCount(s.realtime.slowClosed)],
              ]}
            />
            <Panel
              title="Process"
              rows={[
                ['Resident memory', formatBytes(s.process.rss)],
                ['Heap used', `${formatBytes(s.process.heapUsed)} of ${formatBytes(s.process.heapTotal)}`],
                ['External memory', formatBytes(s.process.external)],
                ['CPU time', formatSeconds(s.process.cpuSeconds)],
                ['Event-loop lag p99', formatSeconds(s.process.eventLoopP99)],
                ['Uptime', formatSeconds(s.process.uptimeSeconds)],
                ['Node', s.process.nodeVersion || '—'],
                ['Log entries pending / dropped', `${formatCount(s.logs.pending)} / ${formatCount(s.logs.dropped)}`],
              ]}
            />
          </div>
          <h2>Busiest routes</h2>
          <div class="table-wrap">
            <table class="grid plain-rows" aria-label="Busiest routes">
              <thead>
                <tr>
                  <th>Route</th>
                  <th>Requests</th>
                  <th>5xx</th>
                  <th>Mean</th>
                  <th>p95</th>
                </tr>
              </thead>
              <tbody>
                {s.routes.map((r) => (
                  <tr key={`${r.method} ${r.route}`}>
                    <td class="mono">
                      {r.method} {r.route}
                    </td>
                    <td>{formatCount(r.count)}</td>
                    <td>{formatCount(r.errors)}</td>
                    <td>{formatSeconds(r.meanSeconds)}</td>
                    <td>{formatSeconds(r.p95Seconds)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <details class="raw-metrics">
            <summary>Raw Prometheus text</summary>
            <pre class="mono">{scrape.text}</pre>
          </details>
        </>
      )}
    </section>
  );
}
