import { describe, expect, it } from 'vitest';
import { WORKER_ENV, WORKER_NODE_FLAGS, workerEnv, workerExecArgv } from './worker-process.ts';

describe('worker process options', () => {
  it('adds every worker flag to a primary started without node options', () => {
    expect(workerExecArgv([])).toEqual([...WORKER_NODE_FLAGS]);
    expect(WORKER_NODE_FLAGS).toContain('--heap-growing-percent=50');
  });

  it('keeps the primary’s own options and lets them win over a worker flag of the same name', () => {
    const argv = workerExecArgv(['--enable-source-maps', '--max_semi_space_size=16']);
    expect(argv.slice(0, 2)).toEqual(['--enable-source-maps', '--max_semi_space_size=16']);
    expect(argv.filter((a) => a.startsWith('--max-semi-space-size') || a.startsWith('--max_semi_space_size'))).toEqual(['--max_semi_space_size=16']);
    expect(argv).toContain('--heap-growing-percent=50');
  });

  it('leaves out a flag NODE_OPTIONS sets', () => {
    const argv = workerExecArgv([], '--max-semi-space-size=8  --trace-warnings');
    expect(argv.some((a) => a.startsWith('--max-semi-space-size'))).toBe(false);
    expect(argv).toContain('--initial-old-space-size=32');
  });

  it('sets MALLOC_ARENA_MAX unless the environment already does', () => {
    expect(workerEnv({})).toEqual(WORKER_ENV);
    expect(workerEnv({ MALLOC_ARENA_MAX: '8' })).toEqual({});
  });
});
