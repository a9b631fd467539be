/**
 * Requests over time: one bar per hour of `/api/logs/stats` (hours without entries included, so
 * the x axis is time), as a plain SVG with a title per bar and a text summary for screen readers.
 */
import type { LogsStat } from './api.ts';

const HOUR_MS = 3_600_000;
/** Hours shown at most (a week): older hours are left off rather than squeezed into slivers. */
export const MAX_CHART_HOURS = 24 * 7;
const WIDTH = 720;
const HEIGHT = 120;

const hourOf = (date: string): number => Date.parse(date.replace(' ', 'T'));

/** Every hour from the first to the last stat (at most MAX_CHART_HOURS, the latest kept), with zeros filled in. */
export function hourlySeries(stats: LogsStat[]): Array<{ hour: number; total: number }> {
  if (stats.length === 0) return [];
  const totals = new Map(stats.map((s) => [hourOf(s.date), s.total]));
  const last = Math.max(...totals.keys());
  const first = Math.max(Math.min(...totals.keys()), last - (MAX_CHART_HOURS - 1) * HOUR_MS);
  const out: Array<{ hour: number; total: number }> = [];
  for (let h = first; h <= last; h += HOUR_MS) out.push({ hour: h, total: totals.get(h) ?? 0 });
  return out;
}

const label = (hour: number) => new Date(hour).toISOString().slice(0, 13).replace('T', ' ') + ':00Z';

export function LogsChart(props: { stats: LogsStat[] }) {
  const series = hourlySeries(props.stats);
  if (series.length === 0) return null;
  const max = Math.max(1, ...series.map((s) => s.total));
  const sum = series.reduce((n, s) => n + s.total, 0);
  const bar = WIDTH / Math.max(series.length, 24);
  return (
    <figure class="logs-chart card">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`Requests per hour: ${sum} in ${series.length} hour(s), at most ${max} in one hour`}>
        {series.map((s, i) => {
          const h = (s.total / max) * (HEIGHT - 4);
          return (
            <rect key={s.hour} x={i * bar + 1} y={HEIGHT - h} width={Math.max(1, bar - 2)} height={h} data-total={s.total}>
              <title>{`${label(s.hour)}: ${s.total}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption class="row muted">
        <span class="grow">{label(series[0]!.hour)}</span>
        <span>
          {sum} entries · peak {max}/hour
        </span>
        <span class="grow end-text">
          {label(series[series.length - 1]!.hour)}
        </span>
      </figcaption>
    </figure>
  );
}
