/**
 * The data-path suites `npm run bench` runs after the request scenarios: file uploads and thumbs
 * (bench/files.ts) and bulk import with a large backup (bench/bulk.ts). Each is its own script
 * with its own raw baseline; here they run as children, sized by the plan, and print their tables.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export interface DataSuite {
  script: string;
  args: string[];
}

/** Full runs measure the sizes the docs quote (32 MB uploads, 100,000 rows, a 1 GB db); quick runs stay small. */
export function dataSuites(quick: boolean): DataSuite[] {
  return quick
    ? [
        { script: 'files.ts', args: ['--mb', '8', '--rounds', '1'] },
        { script: 'bulk.ts', args: ['--rows', '10000', '--db-mb', '50'] },
      ]
    : [
        { script: 'files.ts', args: ['--mb', '32', '--rounds', '5'] },
        { script: 'bulk.ts', args: ['--rows', '100000', '--db-mb', '1024'] },
      ];
}

/** Runs each suite in turn with inherited output; returns the scripts that failed. */
export function runDataSuites(benchDir: string, quick: boolean, log: (m: string) => void): string[] {
  const failed: string[] = [];
  for (const suite of dataSuites(quick)) {
    log(`data suite: node bench/${suite.script} ${suite.args.join(' ')}`);
    const r = spawnSync(process.execPath, [join(benchDir, suite.script), ...suite.args], { stdio: 'inherit' });
    if (r.status !== 0) failed.push(suite.script);
  }
  return failed;
}
