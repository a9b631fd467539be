/**
 * How far V8 lets the old generation grow past its live objects before a full GC, under the
 * flags this process runs with: ~34 MB kept alive (like a server's code and caches), then 10 s
 * of allocation where every 20th object lives 200 ms (in-flight requests, socket frames), so it
 * is promoted and dies in the old generation. Prints the peak heap and old space, the GC counts
 * and the live heap after a final full GC. Compare, e.g.:
 *
 *   node --expose-gc --max-semi-space-size=4 --initial-old-space-size=32 bench/heap-growth.ts
 *   node --expose-gc --max-semi-space-size=4 --initial-old-space-size=32 --heap-growing-percent=50 bench/heap-growth.ts
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import v8 from 'node:v8';

const LIVE_OBJECTS = 120_000;
const RUN_MS = Number(process.argv[2] ?? 10_000);
const LIFETIME_MS = 200;
const MB = 1024 * 1024;

const live: unknown[] = [];
for (let i = 0; i < LIVE_OBJECTS; i++) live.push({ id: `k${i}`, v: 'x'.repeat(40) + i, n: i });

let gcMs = 0;
let major = 0;
let minor = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcMs += e.duration;
    const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
    if (kind === 2 || kind === 4) major++;
    else minor++;
  }
}).observe({ entryTypes: ['gc'] });

const inflight: Array<[number, unknown, Buffer]> = [];
let peakTotal = 0;
let peakOld = 0;
let ops = 0;
const t0 = performance.now();
const cpu0 = process.cpuUsage();

function step(): void {
  for (let i = 0; i < 2000; i++) {
    const o = { a: `event ${ops}${' '.repeat(ops % 50)}`, b: [ops, ops + 1, ops + 2], c: { x: ops } };
    ops++;
    if (ops % 20 === 0) inflight.push([performance.now(), o, Buffer.from(o.a)]);
  }
  const now = performance.now();
  while (inflight.length && now - inflight[0]![0] > LIFETIME_MS) inflight.shift();
  peakTotal = Math.max(peakTotal, v8.getHeapStatistics().total_heap_size);
  peakOld = Math.max(peakOld, v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')?.space_size ?? 0);
  if (now - t0 < RUN_MS) setImmediate(step);
  else done();
}

function done(): void {
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  (globalThis as { gc?: () => void }).gc?.();
  const out = {
    flags: process.execArgv.join(' '),
    liveAfterFullGcMb: Math.round(v8.getHeapStatistics().used_heap_size / MB),
    peakHeapTotalMb: Math.round(peakTotal / MB),
    peakOldSpaceMb: Math.round(peakOld / MB),
    fullGcs: major,
    scavenges: minor,
    gcPctOfWall: Number(((gcMs / wall) * 100).toFixed(1)),
    cpuUsPerKiloOps: Number((((cpu.user + cpu.system) / ops) * 1000).toFixed(0)),
    kept: live.length,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

step();
