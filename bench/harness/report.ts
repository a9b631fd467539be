/**
 * Turns a run into tables: per scenario and target the median figures, and per scenario the
 * Hearth/raw and Hearth/hono throughput ratios against the targets of issue 3 (plus the same
 * ratios per second of server CPU, which a contended machine distorts less). Rendered as
 * aligned text for stdout and as Markdown for docs/benchmarks.md.
 */
import type { Cell, RunResult } from './runner.ts';
import type { TargetName } from './target.ts';

/** Issue 3's targets: reads ≥ 0.75 of raw and ≥ 0.9 of Hono; writes ≥ 0.6 and ≥ 0.8. */
export const RATIO_TARGETS = { read: { raw: 0.75, hono: 0.9 }, write: { raw: 0.6, hono: 0.8 } } as const;
const WRITES = new Set(['insert-member', 'update-by-id', 'delete-by-id']);

export interface Ratio {
  scenario: string;
  /** req/s ratios */
  hearthRaw: number | null;
  hearthHono: number | null;
  honoRaw: number | null;
  /** req per CPU-second ratios (work per request, independent of how much CPU the server got) */
  cpuHearthRaw: number | null;
  cpuHearthHono: number | null;
  goal: { raw: number; hono: number };
}

export const fmt = (n: number, digits = 0): string =>
  Number.isNaN(n) ? '–' : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function figureOf(r: RunResult, scenario: string, target: TargetName, key: 'rps' | 'reqPerCpuSec'): number | null {
  const v = r.cells.find((c) => c.scenario === scenario && c.target === target)?.median?.[key];
  return v === undefined || Number.isNaN(v) ? null : v;
}

export function ratios(r: RunResult): Ratio[] {
  const div = (a: number | null | undefined, b: number | null | undefined): number | null => (a && b ? a / b : null);
  return r.scenarios.map(({ id }) => {
    const [raw, hono, hearth] = (['raw', 'hono', 'hearth'] as const).map((t) => figureOf(r, id, t, 'rps'));
    const [craw, chono, chearth] = (['raw', 'hono', 'hearth'] as const).map((t) => figureOf(r, id, t, 'reqPerCpuSec'));
    return {
      scenario: id,
      hearthRaw: div(hearth, raw),
      hearthHono: div(hearth, hono),
      honoRaw: div(hono, raw),
      cpuHearthRaw: div(chearth, craw),
      cpuHearthHono: div(chearth, chono),
      goal: WRITES.has(id) ? RATIO_TARGETS.write : RATIO_TARGETS.read,
    };
  });
}

function figureRow(c: Cell, title: string): string[] {
  if (!c.median) {
    const why = c.na ?? 'no rounds';
    return [title, c.target, `n/a (${why.length > 48 ? `${why.slice(0, 48)}…` : why})`, '', '', '', '', '', ''];
  }
  const m = c.median;
  return [title, c.target, fmt(m.rps), fmt(m.p50, 2), fmt(m.p90, 2), fmt(m.p99, 2), fmt(m.cpuPct), fmt(m.reqPerCpuSec), fmt(m.rssMb)];
}

export const FIGURE_HEADERS = ['scenario', 'target', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'server CPU %', 'req/CPU-s', 'server RSS MB'];
export const RATIO_HEADERS = ['scenario', 'Hearth/raw', 'Hearth/hono', 'hono/raw', 'per CPU-s: Hearth/raw', 'Hearth/hono'];

export function figureRows(r: RunResult): string[][] {
  const rows: string[][] = [];
  for (const s of r.scenarios) {
    for (const c of r.cells.filter((x) => x.scenario === s.id)) rows.push(figureRow(c, `${s.id} (${s.title})`));
  }
  return rows;
}

export function ratioRows(r: RunResult): string[][] {
  const mark = (v: number | null, goal: number): string => (v === null ? 'n/a' : `${v.toFixed(2)} ${v >= goal ? '✓' : '✗'} (≥ ${goal})`);
  const plain = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(2));
  const rows = ratios(r).map((x) => [
    x.scenario,
    mark(x.hearthRaw, x.goal.raw),
    mark(x.hearthHono, x.goal.hono),
    plain(x.honoRaw),
    plain(x.cpuHearthRaw),
    plain(x.cpuHearthHono),
  ]);
  if (r.fanout) rows.push(['fanout', 'n/a (no realtime in the baselines)', 'n/a', 'n/a', 'n/a', 'n/a']);
  return rows;
}

/**
 * What hooks cost the requests they do not hook: `hearth-hooks` (hooks on a collection and paths
 * no scenario touches) over `hearth` (no hooks file), same run, interleaved rounds. "No measurable
 * cost" is a ratio within run-to-run noise: ≥ HOOK_COST_GOAL on work per request (per CPU-s).
 */
export const HOOK_COST_GOAL = 0.95;
export const HOOK_HEADERS = ['scenario', 'hooks/no hooks: req/s', 'per CPU-s', 'p99 ms (no hooks → hooks)'];

export function hookRows(r: RunResult): string[][] {
  if (!r.targets.includes('hearth') || !r.targets.includes('hearth-hooks')) return [];
  const p99 = (id: string, t: TargetName): string => {
    const v = r.cells.find((c) => c.scenario === id && c.target === t)?.median?.p99;
    return v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(2);
  };
  return r.scenarios.map(({ id }) => {
    const rps = [figureOf(r, id, 'hearth', 'rps'), figureOf(r, id, 'hearth-hooks', 'rps')];
    const cpu = [figureOf(r, id, 'hearth', 'reqPerCpuSec'), figureOf(r, id, 'hearth-hooks', 'reqPerCpuSec')];
    const ratio = (a: Array<number | null>): number | null => (a[0] && a[1] ? a[1] / a[0] : null);
    const x = ratio(rps);
    const c = ratio(cpu);
    return [
      id,
      x === null ? 'n/a' : x.toFixed(2),
      c === null ? 'n/a' : `${c.toFixed(2)} ${c >= HOOK_COST_GOAL ? '✓' : '✗'} (≥ ${HOOK_COST_GOAL})`,
      `${p99(id, 'hearth')} → ${p99(id, 'hearth-hooks')}`,
    ];
  });
}

/** `left`: how many leading (label) columns are left-aligned; figures are right-aligned. */
export function renderText(headers: string[], rows: string[][], left = 1): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < left ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function renderMarkdown(headers: string[], rows: string[][], left = 1): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  return [`| ${headers.join(' | ')} |`, `|${headers.map((_, i) => (i < left ? ' --- ' : ' ---: ')).join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

/** The full reasons behind every n/a cell (the table shows them shortened). */
export function naNotes(r: RunResult): string[] {
  return r.cells.filter((c) => !c.median).map((c) => `${c.scenario} / ${c.target}: n/a (${c.na ?? 'no rounds'})`);
}
