/**
 * The realtime server's memory, per serving process: its own gauges (`GET /api/metrics`,
 * prom-client's V8 heap and external memory) beside what the kernel counts for it
 * (/proc/<pid>/status: RSS of anonymous memory and of mapped files). With `--workers N` each
 * metrics request is answered by whichever worker the cluster hands the connection to, so every
 * request goes on a connection of its own until each worker has answered; an answer belongs to
 * the worker whose RSS, read right after it, is nearest the RSS it reports. Anonymous memory
 * beyond the V8 heap and external memory is native: malloc (SQLite's page caches, the HTTP
 * parser, V8's own bookkeeping), thread stacks.
 */
import { request } from 'node:http';
import { readFileSync } from 'node:fs';

export interface MemoryBreakdown {
  at: string;
  /** `w1`, `w2`… of a cluster, `server` for one process */
  process: string;
  rssMb: number;
  heapTotalMb: number;
  heapUsedMb: number;
  /** committed size of V8's young generation (where short-lived objects die) and old generation */
  newSpaceMb: number;
  oldSpaceMb: number;
  externalMb: number;
  /** /proc/<pid>/status: RSS of anonymous memory (heaps, malloc, SQLite's page cache) and of mapped files (the node binary, libraries) */
  anonMb: number;
  fileMb: number;
}

const MB = 1024 * 1024;
/** Metrics requests per worker before giving up on matching one to each. */
const TRIES_PER_PROCESS = 4;

export function rssSplit(pid: number): { rssMb: number; anonMb: number; fileMb: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? Number.NaN) / 1024;
    return { rssMb: kb('VmRSS'), anonMb: kb('RssAnon'), fileMb: kb('RssFile') };
  } catch {
    return { rssMb: Number.NaN, anonMb: Number.NaN, fileMb: Number.NaN };
  }
}

/** One `GET /api/metrics` on a connection of its own (no keep-alive), so the cluster may pick any worker. */
function scrape(url: string, token: string): Promise<string | null> {
  return new Promise((resolve) => {
    const req = request(`${url}/api/metrics`, { agent: false, headers: { authorization: token, connection: 'close' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(res.statusCode === 200 ? Buffer.concat(chunks).toString('utf8') : null));
      res.on('error', () => resolve(null));
    });
    req.on('error', () => resolve(null));
    req.end();
  });
}

function parse(text: string): Omit<MemoryBreakdown, 'at' | 'process' | 'anonMb' | 'fileMb'> {
  const gauge = (name: string, labels = '(?:\\{[^}]*\\})?'): number => Number(new RegExp(`^${name}${labels} ([0-9.e+]+)$`, 'm').exec(text)?.[1] ?? Number.NaN) / MB;
  const space = (name: string): number => gauge('nodejs_heap_space_size_total_bytes', `\\{space="${name}"\\}`);
  return {
    rssMb: gauge('process_resident_memory_bytes'),
    heapTotalMb: gauge('nodejs_heap_size_total_bytes'),
    heapUsedMb: gauge('nodejs_heap_size_used_bytes'),
    newSpaceMb: space('new'),
    oldSpaceMb: space('old'),
    externalMb: gauge('nodejs_external_memory_bytes'),
  };
}

/** One breakdown per serving process that answered (label order), at one moment of the run. */
export async function memoryOf(url: string, token: string, procs: Array<{ label: string; pid: number }>, at: string): Promise<MemoryBreakdown[]> {
  const found = new Map<string, MemoryBreakdown>();
  for (let i = 0; i < procs.length * TRIES_PER_PROCESS && found.size < procs.length; i++) {
    const text = await scrape(url, token);
    if (!text) return [...found.values()];
    const m = parse(text);
    // The answering process: the one whose RSS now is nearest the RSS it reported.
    let best: { label: string; pid: number; d: number } | null = null;
    for (const p of procs) {
      const d = Math.abs(rssSplit(p.pid).rssMb - m.rssMb);
      if (!best || d < best.d) best = { ...p, d };
    }
    if (!best || found.has(best.label)) continue;
    const { anonMb, fileMb } = rssSplit(best.pid);
    found.set(best.label, { at, process: best.label, ...m, anonMb, fileMb });
  }
  return procs.flatMap((p) => found.get(p.label) ?? []);
}
