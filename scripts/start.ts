/**
 * `npm start`: rebuilds dist/ when the sources changed, then replaces this process with
 * `node <heap flags> dist/hearth.cjs serve …` (process.execve; the flags and environment: node-flags.ts), so the
 * server runs without the build tooling in memory. Extra arguments pass through: `npm start -- --http 0.0.0.0:8090`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BUNDLE, isFresh, ROOT } from './build.ts';
import { SERVER_NODE_FLAGS, serverEnv } from './node-flags.ts';

if (!isFresh()) {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.ts')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const args = [...SERVER_NODE_FLAGS, BUNDLE, 'serve', ...process.argv.slice(2)];
const execve = (process as { execve?: (file: string, args: string[], env: NodeJS.ProcessEnv) => never }).execve;
if (execve) {
  execve(process.execPath, [process.execPath, ...args], serverEnv(process.env));
} else {
  const child = spawn(process.execPath, args, { stdio: 'inherit', env: serverEnv(process.env) });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
