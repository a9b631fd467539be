/**
 * Summarises V8 .cpuprofile files (from `node --cpu-prof`): the top functions by self time with
 * file:line, and self time per source file / package. Idle time is left out of the percentages.
 * With --windows (bench/run.ts --cpu-prof writes windows.json) only samples taken while measured
 * rounds ran count, so setup and seeding do not pollute the picture.
 * With --inclusive, also the top functions by inclusive time (samples with the function anywhere
 * on the stack, counted once per sample even when it recurses): where whole subsystems go.
 * With --samples, every sample weighs the same (the profile's median interval) instead of the
 * time since the previous one: on a loaded machine a descheduled process's off-CPU wait lands
 * in whatever sample follows it (mostly a syscall such as the socket write), and counting
 * samples keeps the shares close to on-CPU time.
 * usage: node bench/profile-summary.ts FILE.cpuprofile [MORE…] [--top 25] [--inclusive] [--samples]
 *          [--windows DIR/windows.json [--scenario ID] [--target hearth]]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A time range of one process (monotonic µs, the clock V8 profiles use). */
export interface Window {
  pid: number;
  startUs: number;
  endUs: number;
  scenario?: string;
  target?: string;
}

export interface LoadedProfile {
  profile: Profile;
  /** from the file name CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile */
  pid: number;
}

export interface SelfTime {
  name: string;
  location: string;
  ms: number;
}

const REPO = new URL('..', import.meta.url).pathname;

/** How much one sample weighs, in ms: its time delta, or (bySamples) the profile's median delta. */
export function sampleWeigher(p: Profile, bySamples: boolean): (i: number) => number {
  if (!bySamples) return (i) => (p.timeDeltas[i + 1] ?? p.timeDeltas[i] ?? 0) / 1000;
  const sorted = p.timeDeltas.filter((d) => d > 0).sort((a, b) => a - b);
  const median = (sorted[sorted.length >> 1] ?? 0) / 1000;
  return () => median;
}

/** Repo-relative path; node_modules/<pkg>/… kept so packages stand out; node internals as-is. */
export function shortPath(url: string): string {
  const path = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  return path.startsWith(REPO) ? path.slice(REPO.length) : path;
}

/** Self time per function (µs deltas attributed to the sampled node), merged across profiles. */
export function selfTimes(profiles: LoadedProfile[], windows?: Window[], bySamples = false): { rows: SelfTime[]; idleMs: number; totalMs: number } {
  const byKey = new Map<string, SelfTime>();
  let idleMs = 0;
  let totalMs = 0;
  for (const { profile: p, pid } of profiles) {
    const nodes = new Map(p.nodes.map((n) => [n.id, n]));
    const mine = windows?.filter((w) => w.pid === pid);
    const weigh = sampleWeigher(p, bySamples);
    let at = p.startTime;
    for (let i = 0; i < p.samples.length; i++) {
      at += p.timeDeltas[i] ?? 0;
      if (mine && !mine.some((w) => at >= w.startUs && at <= w.endUs)) continue;
      const ms = weigh(i);
      const f = nodes.get(p.samples[i]!)!.callFrame;
      totalMs += ms;
      if (f.functionName === '(idle)') {
        idleMs += ms;
        continue;
      }
      const location = f.url ? `${shortPath(f.url)}:${f.lineNumber + 1}` : '';
      const name = f.functionName || '(anonymous)';
      const key = `${name}@${location}`;
      const row = byKey.get(key) ?? { name, location, ms: 0 };
      row.ms += ms;
      byKey.set(key, row);
    }
  }
  return { rows: [...byKey.values()].sort((a, b) => b.ms - a.ms), idleMs, totalMs };
}

const frameKey = (f: ProfileNode['callFrame']): { name: string; location: string } => ({
  name: f.functionName || '(anonymous)',
  location: f.url ? `${shortPath(f.url)}:${f.lineNumber + 1}` : '',
});

/** Inclusive time per function: each sample counts for every distinct function on its stack. */
export function inclusiveTimes(profiles: LoadedProfile[], windows?: Window[], bySamples = false): SelfTime[] {
  const byKey = new Map<string, SelfTime>();
  for (const { profile: p, pid } of profiles) {
    const nodes = new Map(p.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const mine = windows?.filter((w) => w.pid === pid);
    const weigh = sampleWeigher(p, bySamples);
    let at = p.startTime;
    for (let i = 0; i < p.samples.length; i++) {
      at += p.timeDeltas[i] ?? 0;
      if (mine && !mine.some((w) => at >= w.startUs && at <= w.endUs)) continue;
      const ms = weigh(i);
      const leaf = nodes.get(p.samples[i]!)!;
      if (leaf.callFrame.functionName === '(idle)') continue;
      const seen = new Set<string>();
      for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
        const { name, location } = frameKey(nodes.get(id)!.callFrame);
        if (name === '(root)') continue;
        const key = `${name}@${location}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const row = byKey.get(key) ?? { name, location, ms: 0 };
        row.ms += ms;
        byKey.set(key, row);
      }
    }
  }
  return [...byKey.values()].sort((a, b) => b.ms - a.ms);
}

/** Self time per file, with node_modules collapsed to the package. */
export function byFile(rows: SelfTime[]): SelfTime[] {
  const out = new Map<string, number>();
  for (const r of rows) {
    const file = r.location.replace(/:\d+$/, '') || r.name;
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1];
    const key = pkg ? `npm:${pkg}` : file;
    out.set(key, (out.get(key) ?? 0) + r.ms);
  }
  return [...out.entries()].map(([name, ms]) => ({ name, location: '', ms })).sort((a, b) => b.ms - a.ms);
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      top: { type: 'string', default: '25' },
      inclusive: { type: 'boolean', default: false },
      windows: { type: 'string' },
      scenario: { type: 'string' },
      target: { type: 'string' },
      samples: { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0) {
    process.stderr.write('usage: node bench/profile-summary.ts FILE.cpuprofile [MORE…] [--top 25] [--inclusive] [--samples] [--windows FILE [--scenario ID] [--target NAME]]\n');
    process.exitCode = 2;
    return;
  }
  const top = Number(values.top) || 25;
  const profiles = positionals.map((f) => ({
    profile: JSON.parse(readFileSync(f, 'utf8')) as Profile,
    pid: Number(/CPU\.\d+\.\d+\.(\d+)\./.exec(f)?.[1] ?? -1),
  }));
  const windows = values.windows
    ? (JSON.parse(readFileSync(values.windows, 'utf8')) as Window[]).filter(
        (w) => (!values.scenario || w.scenario === values.scenario) && (!values.target || w.target === values.target),
      )
    : undefined;
  const { rows, idleMs, totalMs } = selfTimes(profiles, windows, values.samples);
  if (totalMs === 0) {
    process.stderr.write('no samples (do the windows match these profiles\' pids?)\n');
    process.exitCode = 1;
    return;
  }
  const busy = totalMs - idleMs;
  const pct = (ms: number): string => `${((ms / busy) * 100).toFixed(1).padStart(5)}%`;
  process.stdout.write(`busy ${(busy / 1000).toFixed(2)} s of ${(totalMs / 1000).toFixed(2)} s sampled (idle left out)\n\n`);
  process.stdout.write(`top ${top} functions by self time\n`);
  for (const r of rows.slice(0, top)) {
    process.stdout.write(`${r.ms.toFixed(0).padStart(8)} ms ${pct(r.ms)}  ${r.name}  ${r.location}\n`);
  }
  process.stdout.write('\nself time by file / package\n');
  for (const r of byFile(rows).slice(0, 15)) process.stdout.write(`${r.ms.toFixed(0).padStart(8)} ms ${pct(r.ms)}  ${r.name}\n`);
  if (values.inclusive) {
    process.stdout.write(`\ntop ${top} functions by inclusive time\n`);
    for (const r of inclusiveTimes(profiles, windows, values.samples).slice(0, top)) {
      process.stdout.write(`${r.ms.toFixed(0).padStart(8)} ms ${pct(r.ms)}  ${r.name}  ${r.location}\n`);
    }
  }
}

if (import.meta.main) main();
