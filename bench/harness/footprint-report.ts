/**
 * Runs the footprint measurement and reports it: a table on stdout, bench/results/footprint-*.json,
 * and (full runs) the block between the footprint markers in docs/benchmarks.md.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FOOTPRINT_HEADERS, FOOTPRINT_NOTE, footprintRows, measureFootprint } from './footprint.ts';
import type { Machine } from './machine.ts';
import { renderMarkdown, renderText } from './report.ts';

const BENCH_DIR = join(import.meta.dirname, '..');
const DOC = join(BENCH_DIR, '..', 'docs', 'benchmarks.md');
export const FOOTPRINT_START = '<!-- bench:footprint:start -->';
export const FOOTPRINT_END = '<!-- bench:footprint:end -->';

export async function runFootprint(opts: { log: (m: string) => void; machine: Machine; command: string; updateDocs: boolean }): Promise<void> {
  const rows = await measureFootprint(opts.log);
  process.stdout.write(`\nDeployment footprint\n\n${renderText(FOOTPRINT_HEADERS, footprintRows(rows), 1)}\n${FOOTPRINT_NOTE}\n`);
  mkdirSync(join(BENCH_DIR, 'results'), { recursive: true });
  const file = join(BENCH_DIR, 'results', `footprint-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ machine: opts.machine, command: opts.command, rows }, null, 2));
  opts.log(`wrote ${file}`);
  if (!opts.updateDocs) return;
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const block = [
    FOOTPRINT_START,
    `${when} UTC, \`${opts.command}\`, ${opts.machine.cpus} × ${opts.machine.model}, Node ${opts.machine.node}.`,
    '',
    renderMarkdown(FOOTPRINT_HEADERS, footprintRows(rows), 1),
    '',
    FOOTPRINT_NOTE,
    FOOTPRINT_END,
  ].join('\n');
  const text = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Benchmarks\n';
  const a = text.indexOf(FOOTPRINT_START);
  const b = text.indexOf(FOOTPRINT_END);
  const next = a >= 0 && b > a ? text.slice(0, a) + block + text.slice(b + FOOTPRINT_END.length) : `${text.trimEnd()}\n\n## Deployment footprint\n\n${block}\n`;
  writeFileSync(DOC, next);
  opts.log('updated the footprint in docs/benchmarks.md');
}
