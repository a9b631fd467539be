/**
 * The autocannon load generator as its own process (so it never shares a CPU with the harness):
 * reads a LoadJob JSON file, cycles through its request list with setupRequest (each entry used
 * once per cycle, so delete ids are consumed once), prints one JSON LoadResult line.
 */
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import type { LoadJob, LoadResult } from './load.ts';

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadJob;
const list = job.requests;
let next = 0;

const instance = autocannon({
  url: job.url,
  connections: job.connections,
  ...('amount' in job.shape ? { amount: job.shape.amount } : { duration: job.shape.durationSec }),
  timeout: 10,
  // autocannon notices the end (amount reached, duration over) only on a sample tick: keep it short.
  sampleInt: 10,
  requests: [
    {
      setupRequest: (req) => {
        const spec = list[next++ % list.length]!;
        const headers: Record<string, string> = {};
        if (spec.auth) headers.authorization = spec.auth;
        if (spec.body) headers['content-type'] = 'application/json';
        return { ...req, method: spec.method, path: spec.path, headers, body: spec.body ?? '' };
      },
    },
  ],
});

// An amount phase also ends at maxSec; autocannon itself would only stop at the amount.
if ('amount' in job.shape) setTimeout(() => instance.stop(), job.shape.maxSec * 1000).unref();

instance.on('done', (r) => {
  const ok = r['2xx'];
  const result: LoadResult = {
    tool: 'autocannon',
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    durationSec: r.duration,
    rps: ok / r.duration,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    loadgenCpuPct: Number.NaN,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
});
