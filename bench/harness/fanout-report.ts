/**
 * The realtime scenarios as tables: fan-out per write rate (events/s, latency, server CPU per
 * delivered event, RSS), write cost per non-matching subscription count, and the server's own
 * memory breakdown — one set of rows per form Hearth ran in (bundle, sources).
 */
import type { FanoutResult } from './fanout.ts';
import { fmt } from './report.ts';
import type { RunResult } from './runner.ts';

export const FANOUT_HEADERS = [
  'fan-out',
  'target',
  'writes/s',
  'events/s',
  'delivered / expected',
  'missing',
  'dup',
  'p50 ms',
  'p90 ms',
  'p99 ms',
  'send→recv p99 ms',
  'server CPU %',
  'CPU µs/event',
  'RSS peak MB',
  'load CPU %',
];

const label = (f: FanoutResult): string => `hearth (${f.form})`;
const short = (why: string): string => (why.length > 60 ? `${why.slice(0, 60)}…` : why);

/** One row per form and write rate, plus the baselines as n/a: they have no realtime. */
export function fanoutRows(r: RunResult): string[][] {
  const all = r.fanout ?? [];
  const blank = (what: string, target: string, why: string): string[] => [what, target, `n/a (${why})`, ...Array<string>(FANOUT_HEADERS.length - 3).fill('')];
  const rows: string[][] = [];
  for (const f of all) {
    if (f.na && f.rates.every((x) => !x.median)) rows.push(blank('all rates', label(f), short(f.na)));
    for (const x of f.rates) {
      const m = x.median;
      if (!m) continue;
      rows.push([
        `${fmt(x.rate)} writes/s`,
        label(f),
        fmt(m.writeRps),
        fmt(m.eventsPerSec),
        `${fmt(m.delivered)} / ${fmt(m.expected)}`,
        fmt(m.missing),
        fmt(m.duplicates),
        fmt(m.commitP50, 2),
        fmt(m.commitP90, 2),
        fmt(m.commitP99, 2),
        fmt(m.sendP99, 2),
        fmt(m.serverCpuPct),
        fmt(m.cpuUsPerEvent, 1),
        fmt(m.serverRssPeakMb),
        fmt(m.loadCpuPct),
      ]);
    }
  }
  if (all.some((f) => f.rates.length > 0)) for (const t of r.targets) if (t !== 'hearth') rows.push(blank('all rates', t, 'no realtime'));
  return rows;
}

export const NONMATCHING_HEADERS = [
  'non-matching subs',
  'target',
  'sockets',
  'writes/s',
  'server CPU %',
  'CPU µs/write',
  'vs 1,000',
  'delivered / expected',
  'unexpected',
  'RSS peak MB',
];

/** One row per form and level; "vs 1,000": CPU per write over that of the 1,000 level (1 = flat). */
export function nonMatchingRows(r: RunResult): string[][] {
  const rows: string[][] = [];
  for (const f of r.fanout ?? []) {
    const ref = f.nonMatching.find((l) => l.subscriptions === 1000) ?? f.nonMatching.find((l) => l.subscriptions > 0);
    for (const l of f.nonMatching) {
      rows.push([
        fmt(l.subscriptions),
        label(f),
        fmt(l.sockets),
        fmt(l.report.writeRps),
        fmt(l.serverCpuPct),
        fmt(l.cpuUsPerWrite),
        ref ? fmt(l.cpuUsPerWrite / ref.cpuUsPerWrite, 2) : '–',
        `${fmt(l.report.delivered)} / ${fmt(l.report.expected)}`,
        fmt(l.report.unexpected),
        fmt(l.serverRssPeakMb),
      ]);
    }
  }
  return rows;
}

export const MEMORY_HEADERS = ['when', 'target', 'process', 'RSS MB', 'anon MB', 'file MB', 'V8 heap total MB', 'heap used MB', 'new space MB', 'old space MB', 'external MB', 'native MB'];

/** native: anonymous memory that is neither V8's heap nor external (ArrayBuffer) memory — malloc, stacks. */
export function memoryRows(r: RunResult): string[][] {
  const rows: string[][] = [];
  for (const f of r.fanout ?? []) {
    for (const m of f.memory) {
      const native = m.anonMb - m.heapTotalMb - m.externalMb;
      rows.push([m.at, label(f), m.process ?? '', fmt(m.rssMb), fmt(m.anonMb), fmt(m.fileMb), fmt(m.heapTotalMb), fmt(m.heapUsedMb, 1), fmt(m.newSpaceMb, 1), fmt(m.oldSpaceMb, 1), fmt(m.externalMb, 1), fmt(native)]);
    }
  }
  return rows;
}

/** The setup line and every fan-out problem (missing, duplicate or foreign events, failed writes). */
export function fanoutNotes(all: FanoutResult[] | undefined): string[] {
  const notes: string[] = [];
  for (const f of all ?? []) {
    if (f.na) notes.push(`fanout (${f.form}): n/a (${f.na})`);
    for (const x of f.rates) if (x.na) notes.push(`fanout (${f.form}) ${x.rate} writes/s: ${x.na}`);
    for (const l of f.nonMatching) if (l.na) notes.push(`fanout-nonmatching (${f.form}) ${l.subscriptions}: ${l.na}`);
  }
  return notes;
}

/** What the fan-out tables measured (stdout and docs). */
export function fanoutCaption(all: FanoutResult[]): string {
  const f = all[0];
  if (!f) return '';
  const perUser = f.subscribers / f.users;
  const setups = all
    .filter((x) => x.setup)
    .map((x) => `${x.form}: ${x.users} users created in ${x.setup!.createUsersSec.toFixed(0)} s, ${x.subscribers.toLocaleString('en-US')} sockets signed in and subscribed in ${x.setup!.connectSec.toFixed(1)} s`);
  return (
    `Fan-out: ${f.subscribers.toLocaleString('en-US')} WebSocket subscribers over ${f.users} users (${Number.isInteger(perUser) ? perUser : perUser.toFixed(1)} sockets each), ` +
    `listRule \`owner = @request.auth.id\`, each write by its owner` +
    (f.batch > 1 ? `, ${f.batch} creates per \`POST /api/batch\` (one owner each)` : ', one `POST` per record') +
    ` with at most ${f.maxInFlight} requests in flight, the server on \`--workers ${f.workers ?? 1}\`` +
    ((f.workers ?? 1) > 1 ? ' (server CPU summed over its processes, RSS the largest one\'s)' : '') +
    `; ${f.durationSec} s per rate, median of ${f.rounds} round${f.rounds === 1 ? '' : 's'} ` +
    `(delivered/missing/dup: totals). Latency: commit (the record's \`created\`, ms resolution) → receipt; send→recv: the writer's timestamp in the record → receipt. ` +
    `CPU µs/event: all server CPU of the phase (the HTTP writes included) ÷ delivered events. Each form is its own server: bundle = \`node dist/hearth.cjs serve\` (deployed), source = \`node cli/bin/hearth.js serve\` (type stripping).` +
    (setups.length ? ` Setup: ${setups.join('; ')}.` : '')
  );
}

export function nonMatchingCaption(all: FanoutResult[]): string {
  const f = all.find((x) => x.nonMatching.length > 0);
  if (!f) return '';
  const l = f.nonMatching[0]!;
  return (
    `Non-matching subscriptions: the same sockets and writer (${fmt(l.report.rate)} writes/s, ${l.report.durationSec} s per level), plus sockets signed in as the same users ` +
    `holding subscriptions whose filter is a topic no write carries (\`topic = "t<k>"\`, one per subscription); CPU µs/write: the phase's server CPU ÷ successful writes ` +
    `(each write still delivered to its owner's sockets); "vs 1,000": that over the 1,000 level (1.00 = flat).`
  );
}
