/**
 * `node bench/rate-limit-cost.ts [--checks 200000] [--keys 1000] [--procs 2] [--seconds 3]`: what
 * a settings rule hit costs. Part 1, one process: µs of CPU per check with the in-memory buckets
 * (a single process), with the SQLite workers' bucket file (rate-limits.db, one upsert per hit),
 * and with the same upsert in a data.db-sized WAL file inside BEGIN IMMEDIATE (where a write would
 * queue on the writer's lock with record writes). Part 2: `--procs` processes checking the one
 * bucket file as fast as they can for `--seconds`: checks/s in all and how many found the file's
 * lock held (answered later, from the event loop).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../server/src/db/index.ts';
import { createFileBucketStore, createRateLimiter, prepareRateLimitFile, RATE_LIMIT_FILE } from '../server/src/auth/index.ts';

const { values } = parseArgs({
  options: {
    checks: { type: 'string', default: '200000' },
    keys: { type: 'string', default: '1000' },
    procs: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '3' },
    child: { type: 'string' },
  },
});
const CHECKS = Number(values.checks);
const KEYS = Number(values.keys);
/** Never refused in a run: every check charges (a write per hit). */
const rules = { rule: { limit: 1_000_000_000, windowSeconds: 60 } };

function cpuUsPerCheck(label: string, check: (key: string) => unknown): void {
  for (let i = 0; i < 2000; i++) check(`k${i % KEYS}`);
  const start = process.cpuUsage();
  for (let i = 0; i < CHECKS; i++) check(`k${i % KEYS}`);
  const used = process.cpuUsage(start);
  console.log(`${label.padEnd(44)} ${((used.user + used.system) / CHECKS).toFixed(2)} µs CPU/check`);
}

async function part1(dir: string): Promise<void> {
  const memory = createRateLimiter({ rules });
  cpuUsPerCheck('memory (one process)', (k) => memory.check(k, 'rule'));
  const file = openDatabase(join(dir, RATE_LIMIT_FILE));
  prepareRateLimitFile(file);
  const shared = createRateLimiter({ rules, shared: createFileBucketStore(file, 'rules') });
  cpuUsPerCheck('rate-limits.db (workers)', (k) => shared.check(k, 'rule'));
  const data = openDatabase(join(dir, 'data.db'));
  prepareRateLimitFile(data);
  const inData = createFileBucketStore(data, 'rules');
  cpuUsPerCheck('data.db, BEGIN IMMEDIATE … COMMIT per check', (k) => data.transaction(() => inData.take(k, Date.now(), rules.rule)));
  file.close();
  data.close();
}

async function child(dir: string, seconds: number): Promise<void> {
  const file = openDatabase(join(dir, RATE_LIMIT_FILE));
  prepareRateLimitFile(file);
  const limiter = createRateLimiter({ rules, shared: createFileBucketStore(file, 'rules') });
  const end = performance.now() + seconds * 1000;
  let checks = 0;
  let later = 0;
  let i = 0;
  while (performance.now() < end) {
    const r = limiter.check(`k${i++ % KEYS}`, 'rule');
    if (r instanceof Promise) {
      later++;
      await r;
    }
    checks++;
  }
  process.send!({ checks, later });
}

async function part2(dir: string): Promise<void> {
  const procs = Number(values.procs);
  const seconds = Number(values.seconds);
  const results = await Promise.all(
    Array.from({ length: procs }, () =>
      new Promise<{ checks: number; later: number }>((ok, fail) => {
        const c = fork(new URL(import.meta.url).pathname, ['--child', dir, '--seconds', String(seconds), '--keys', String(KEYS)]);
        c.once('message', (m) => ok(m as { checks: number; later: number }));
        c.once('error', fail);
      }),
    ),
  );
  const checks = results.reduce((s, r) => s + r.checks, 0);
  const later = results.reduce((s, r) => s + r.later, 0);
  console.log(`${procs} processes on rate-limits.db: ${Math.round(checks / seconds)} checks/s in all, ${later} of ${checks} (${((100 * later) / checks).toFixed(2)} %) found the lock held`);
}

if (values.child) {
  await child(values.child, Number(values.seconds));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-rl-cost-'));
  try {
    await part1(dir);
    await part2(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
