#!/usr/bin/env node
// The `hearth` command. Runs the TypeScript sources directly (Node 22.18+ strips types).
import { run } from '../src/program.ts';

run(process.argv).catch((err) => {
  process.stderr.write(`hearth: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(typeof err?.exitCode === 'number' ? err.exitCode : 1);
});
