#!/usr/bin/env node
// The `hearth` command. Runs the TypeScript sources directly (Node 22.18+ strips types).
// The compile cache (in the OS temp dir) keeps the parsed, type-stripped sources between runs,
// which cuts each start's CPU by about half; the program is loaded after it is on.
import { enableCompileCache } from 'node:module';

enableCompileCache?.();
import('../src/program.ts')
  .then(({ run }) => run(process.argv))
  .catch((err) => {
    process.stderr.write(`hearth: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(typeof err?.exitCode === 'number' ? err.exitCode : 1);
  });
