/**
 * `npm run bench`: Hearth next to the raw node:http and plain-Hono baselines, same data, same
 * machine, interleaved rounds. Prints the tables, writes bench/results/*.json and (full runs)
 * the latest figures into docs/benchmarks.md, then runs the data-path suites (files, bulk import
 * and backup; `--no-data` skips them). Children and temp dirs are cleaned up on any exit.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCli, USAGE } from './harness/args.ts';
import { pickTool } from './harness/load.ts';
import { describeMachine } from './harness/machine.ts';
import { updateDocs, writeJson } from './harness/output.ts';
import { cleanupAll, installCleanupHandlers } from './harness/processes.ts';
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
} from './harness/fanout-report.ts';
import {
  FIGURE_HEADERS,
  naNotes,
  RATIO_HEADERS,
  HOOK_HEADERS,
  hookRows,
  figureRows,
  ratioRows,
  renderText,
} from './harness/report.ts';
import { runBench } from './harness/runner.ts';
import { PG_RATIO_HEADERS, pgRatioRows } from './harness/pg-report.ts';
import { runFootprint } from './harness/footprint-report.ts';
import { runDataSuites } from './harness/data-suites.ts';

async function main(): Promise<void> {
  const cli = parseCli(process.argv.slice(2));
  if (cli.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  installCleanupHandlers();
  const tool = pickTool(cli.loadgen);
  const machine = describeMachine(tool);
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const log = (m: string): void => void process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
  log(`${cli.plan.name} run on ${machine.cpus} × ${machine.model}, Node ${machine.node}, load from ${machine.loadgen}`);
  if (cli.footprintOnly) {
    await runFootprint({ log, machine, command, updateDocs: !process.argv.includes('--no-docs') });
    return;
  }
  const result = await runBench({ ...cli, tool, log });
  const notes = [...naNotes(result), ...fanoutNotes(result.fanout)];
  if (result.scenarios.length) process.stdout.write(`\n${renderText(FIGURE_HEADERS, figureRows(result), 2)}\n`);
  const f = result.fanout ?? [];
  if (f.some((x) => x.rates.length || x.na)) process.stdout.write(`\n${fanoutCaption(f)}\n\n${renderText(FANOUT_HEADERS, fanoutRows(result), 2)}\n`);
  if (f.some((x) => x.nonMatching.length)) process.stdout.write(`\n${nonMatchingCaption(f)}\n\n${renderText(NONMATCHING_HEADERS, nonMatchingRows(result), 2)}\n`);
  if (f.some((x) => x.memory.length)) process.stdout.write(`\n${renderText(MEMORY_HEADERS, memoryRows(result), 2)}\n`);
  process.stdout.write(`\n${renderText(RATIO_HEADERS, ratioRows(result))}\n`);
  if (pgRatioRows(result).length) process.stdout.write(`\non PostgreSQL (ratios of req/s unless marked):\n${renderText(PG_RATIO_HEADERS, pgRatioRows(result))}\n`);
  if (hookRows(result).length) process.stdout.write(`\nhook cost (hooks on untouched collection/paths vs no hooks file):\n${renderText(HOOK_HEADERS, hookRows(result))}\n`);
  if (notes.length) process.stdout.write(`\n${notes.join('\n')}\n`);
  if (cli.cpuProfDir) {
    mkdirSync(cli.cpuProfDir, { recursive: true });
    writeFileSync(join(cli.cpuProfDir, 'windows.json'), JSON.stringify(result.windows, null, 2));
    log(`profiles in ${cli.cpuProfDir}; summarise one scenario with: node bench/profile-summary.ts ${cli.cpuProfDir}/CPU.*.cpuprofile --windows ${cli.cpuProfDir}/windows.json --scenario ID`);
  }
  if (cli.footprint) await runFootprint({ log, machine, command, updateDocs: cli.updateDocs });
  if (cli.data) {
    const failed = runDataSuites(dirname(fileURLToPath(import.meta.url)), cli.plan.name === 'quick', log);
    if (failed.length) log(`data suites that failed: ${failed.join(', ')}`);
  }
  const file = writeJson(result, machine, command);
  log(`wrote ${file}`);
  if (cli.updateDocs) {
    updateDocs(result, machine, command);
    log('updated docs/benchmarks.md');
  }
}

main().then(
  () => cleanupAll(),
  async (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    await cleanupAll();
    process.exitCode = 1;
  },
);
