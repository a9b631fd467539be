/**
 * Where a run's results go: the JSON file under bench/results/ and, for full runs, the
 * "latest figures" block of docs/benchmarks.md (between marker comments; the rest is prose).
 */
import { PG_RATIO_HEADERS, pgRatioRows } from './pg-report.ts';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Machine } from './machine.ts';
import {
  FANOUT_HEADERS,
  fanoutCaption,
  fanoutNotes,
  fanoutRows,
  MEMORY_HEADERS,
  memoryRows,
  NONMATCHING_HEADERS,
  nonMatchingCaption,
  nonMatchingRows,
} from './fanout-report.ts';
import {
  FIGURE_HEADERS,
  naNotes,
  RATIO_HEADERS,
  HOOK_HEADERS,
  hookRows,
  ratioRows,
  ratios,
  figureRows,
  renderMarkdown,
} from './report.ts';
import type { RunResult } from './runner.ts';

const BENCH_DIR = join(import.meta.dirname, '..');
const DOC = join(BENCH_DIR, '..', 'docs', 'benchmarks.md');
export const DOC_START = '<!-- bench:latest:start -->';
export const DOC_END = '<!-- bench:latest:end -->';

export function writeJson(result: RunResult, machine: Machine, command: string, dir = join(BENCH_DIR, 'results')): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-${result.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ command, machine, ...result, ratios: ratios(result) }, null, 2)}\n`);
  return file;
}

export function latestMarkdown(result: RunResult, machine: Machine, command: string): string {
  const notes = [...naNotes(result), ...fanoutNotes(result.fanout)];
  const f = result.fanout ?? [];
  const fanout = [
    ...(f.some((x) => x.rates.length || x.na) ? ['', fanoutCaption(f), '', renderMarkdown(FANOUT_HEADERS, fanoutRows(result), 2)] : []),
    ...(f.some((x) => x.nonMatching.length) ? ['', nonMatchingCaption(f), '', renderMarkdown(NONMATCHING_HEADERS, nonMatchingRows(result), 2)] : []),
    ...(f.some((x) => x.memory.length) ? ['', `Server memory during the realtime scenarios (\`GET /api/metrics\` and /proc, ${f.some((x) => x.workers > 1) ? 'each worker' : 'the server'}; native = anon − V8 heap − external: malloc, SQLite, stacks):`, '', renderMarkdown(MEMORY_HEADERS, memoryRows(result), 2)] : []),
  ];
  return [
    DOC_START,
    `Run \`${command}\` on ${result.startedAt.slice(0, 10)}: ${machine.cpus} × ${machine.model}, ${machine.memoryGb} GB RAM,`,
    `Node ${machine.node}, load from ${machine.loadgen}, ${result.plan.connections} connections,`,
    `median of ${result.plan.rounds} interleaved rounds (reads ${result.plan.readSec} s each; writes`,
    `${Object.entries(result.plan.writeAmount).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ')} requests per round).`,
    '',
    renderMarkdown(RATIO_HEADERS, ratioRows(result)),
    '',
    renderMarkdown(FIGURE_HEADERS, figureRows(result), 2),
    ...(pgRatioRows(result).length ? ['', 'On PostgreSQL (`hearth serve --db postgres://…` against the raw node:http + `pg` server; ratios of req/s unless marked):', '', renderMarkdown(PG_RATIO_HEADERS, pgRatioRows(result))] : []),
    ...(hookRows(result).length ? ['', 'Hook cost (Hearth with a hooks file hooking a collection and paths these requests never touch, over Hearth without one):', '', renderMarkdown(HOOK_HEADERS, hookRows(result))] : []),
    ...fanout,
    ...(notes.length ? ['', ...notes.map((n) => `- ${n}`)] : []),
    DOC_END,
  ].join('\n');
}

/** Replaces the marked block in docs/benchmarks.md (appends it when the markers are missing). */
export function updateDocs(result: RunResult, machine: Machine, command: string, doc = DOC): void {
  const block = latestMarkdown(result, machine, command);
  const text = existsSync(doc) ? readFileSync(doc, 'utf8') : '# Benchmarks\n';
  const a = text.indexOf(DOC_START);
  const b = text.indexOf(DOC_END);
  const next = a >= 0 && b > a ? text.slice(0, a) + block + text.slice(b + DOC_END.length) : `${text.trimEnd()}\n\n## Latest figures\n\n${block}\n`;
  writeFileSync(doc, next);
}
