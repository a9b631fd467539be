#!/usr/bin/env node
// The `hearth` command. Runs the TypeScript sources directly (Node 22.18+ strips types).
// The compile cache (in the OS temp dir) keeps the parsed, type-stripped sources between runs,
// which cuts each start's CPU by about half; the program is loaded after it is on.
import { enableCompileCache } from 'node:module';

enableCompileCache?.();
// A worker that a single executable forks gets the executable's path once more before its
// arguments (Node passes the primary's argv[1] as the script again): drop it.
const forkedBySea = process.env.HEARTH_CLUSTER_WORKER !== undefined && process.argv[2] === process.execPath;
const argv = forkedBySea ? [process.argv[0], process.argv[1], ...process.argv.slice(3)] : process.argv;
// `serve` (every server process, a cluster's primary and its workers) loads only its own command.
(argv[2] === 'serve' ? import('../src/serve-program.ts') : import('../src/program.ts'))
  .then(({ run }) => run(argv))
  .catch((err) => {
    process.stderr.write(`hearth: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(typeof err?.exitCode === 'number' ? err.exitCode : 1);
  });
