/**
 * Reading the Prometheus text format (version 0.0.4) in the browser: samples with their labels,
 * grouped by metric name, and quantiles estimated from histogram buckets the way PromQL's
 * histogram_quantile does (linear within the bucket that holds the rank).
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

const unescape = (v: string) => v.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));

function toNumber(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/** Every sample of the exposition, in order; comments and blank lines skipped. */
export function parsePrometheus(text: string): Sample[] {
  const out: Sample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = unescape(l[2]!);
    out.push({ name: m[1]!, labels, value: toNumber(m[3]!) });
  }
  return out;
}

/** Lookups over parsed samples. */
export class MetricSet {
  readonly samples: Sample[];
  constructor(samples: Sample[]) {
    this.samples = samples;
  }
  all(name: string): Sample[] {
    return this.samples.filter((s) => s.name === name);
  }
  has(name: string): boolean {
    return this.samples.some((s) => s.name === name);
  }
  /** The sum over every label set (NaN when the metric is absent). */
  sum(name: string, where: (labels: Record<string, string>) => boolean = () => true): number {
    const found = this.all(name).filter((s) => where(s.labels));
    return found.length === 0 ? NaN : found.reduce((n, s) => n + s.value, 0);
  }
}

/** Bucket upper bounds with cumulative counts, merged over the series `where` admits. */
export function mergedBuckets(set: MetricSet, histogram: string, where: (labels: Record<string, string>) => boolean = () => true): Array<[number, number]> {
  const byLe = new Map<number, number>();
  for (const s of set.all(`${histogram}_bucket`)) {
    if (!where(s.labels) || s.labels.le === undefined) continue;
    const le = toNumber(s.labels.le);
    byLe.set(le, (byLe.get(le) ?? 0) + s.value);
  }
  return [...byLe.entries()].sort((a, b) => a[0] - b[0]);
}

/**
 * The q-quantile (0 < q < 1) from cumulative buckets: the rank's bucket, linear interpolation
 * inside it. Ranks in the +Inf bucket answer the highest finite bound; no observations, NaN.
 */
export function histogramQuantile(q: number, buckets: Array<[number, number]>): number {
  const total = buckets.length > 0 ? buckets[buckets.length - 1]![1] : 0;
  if (total === 0) return NaN;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const [le, count] of buckets) {
    if (count >= rank) {
      if (le === Infinity) return prevLe;
      const inBucket = count - prevCount;
      return inBucket === 0 ? le : prevLe + (le - prevLe) * ((rank - prevCount) / inBucket);
    }
    prevLe = le;
    prevCount = count;
  }
  return prevLe;
}
