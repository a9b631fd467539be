/**
 * Drives the fan-out scenario against a running Hearth: sets up the collection and its users over
 * REST as the superuser (users created with a password like any sign-up, tokens minted with
 * `POST /api/collections/users/impersonate/{id}` so no password sign-in — and its rate limit and
 * scrypt cost — is involved), forks harness/fanout-worker.ts to hold the sockets and write, and
 * samples the server's and the worker's /proc around every measured phase. Runs the fan-out rates
 * (scenario `fanout`) and then, on the same sockets and writer, the non-matching levels
 * (`fanout-nonmatching`): more subscriptions that never match, server CPU per write at each.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_PASSWORD } from '../scenarios/dataset.ts';
import { FANOUT_COLLECTION, FANOUT_ID, fanoutCollectionJson, fanoutUser, NONMATCHING_ID } from '../scenarios/fanout.ts';
import type { FanoutJob, ParentMessage, PhaseReport } from './fanout-worker.ts';
import { createHearthClient, eachLimit, HearthRequestError } from './hearth-client.ts';
import { median } from './stats.ts';
import type { FanoutPlan, HearthForm } from './plan.ts';
import { sampleProc, usageBetween, type ProcSample } from './proc-stats.ts';
import { servingProcesses } from './cpu-accounting.ts';
import { memoryOf, type MemoryBreakdown } from './fanout-memory.ts';
import { spawnTracked, stopTracked, type Tracked } from './processes.ts';
import type { ProfileWindow } from './runner.ts';
import type { Target } from './target.ts';

/** scrypt runs 2 at a time in the server; 4 requests in flight keep both slots busy. */
const CREATE_CONCURRENCY = 4;
const IMPERSONATE_CONCURRENCY = 8;
const TOKEN_DURATION_SEC = 3600;

/** Server and load-process use over one measured phase. */
interface PhaseUse {
  /** server CPU over the phase (writes and the drain that follows), % of one core */
  serverCpuPct: number;
  /** server CPU seconds over the phase */
  serverCpuSec: number;
  /** server RSS at the end of the phase */
  serverRssMb: number;
  /** highest server RSS sampled during the phase (every RSS_SAMPLE_MS) */
  serverRssPeakMb: number;
  /** the load process (sockets + writer), % of one core */
  loadCpuPct: number;
}

export interface FanoutRound extends PhaseUse {
  round: number;
  report: PhaseReport;
  /** server CPU per delivered event, µs: all of the phase's server CPU (writes included) ÷ events */
  cpuUsPerEvent: number;
}

/** One level of the non-matching scenario. */
export interface NonMatchingLevel extends PhaseUse {
  /** non-matching subscriptions open during the phase */
  subscriptions: number;
  /** sockets holding them */
  sockets: number;
  report: PhaseReport;
  /** server CPU per successful write, µs (its delivery to the owner's sockets included) */
  cpuUsPerWrite: number;
  na: string | null;
}

const RSS_SAMPLE_MS = 250;

/** Medians over rounds; the correctness counts are totals over rounds. */
export interface FanoutFigures {
  writeRps: number;
  eventsPerSec: number;
  commitP50: number;
  commitP90: number;
  commitP99: number;
  sendP50: number;
  sendP99: number;
  writeP99: number;
  serverCpuPct: number;
  serverRssMb: number;
  serverRssPeakMb: number;
  cpuUsPerEvent: number;
  loadCpuPct: number;
  expected: number;
  delivered: number;
  missing: number;
  duplicates: number;
  unexpected: number;
  writesFailed: number;
}

export interface FanoutRate {
  rate: number;
  rounds: FanoutRound[];
  median: FanoutFigures | null;
  /** why there are no figures, or why they cannot be trusted */
  na: string | null;
}

export interface FanoutResult {
  id: typeof FANOUT_ID;
  /** how this Hearth ran: the deployed bundle or the sources */
  form: HearthForm;
  subscribers: number;
  users: number;
  /** creates per write request (1: a POST each; more: POST /api/batch) */
  batch: number;
  /** `hearth serve --workers` */
  workers: number;
  maxInFlight: number;
  durationSec: number;
  rounds: number;
  rates: FanoutRate[];
  setup: { createUsersSec: number; connectSec: number } | null;
  /** the non-matching scenario's levels (empty when it was not selected) */
  nonMatching: NonMatchingLevel[];
  /** the server's heap and external memory, per serving process: idle before the sockets, with them, after the last phase */
  memory: MemoryBreakdown[];
  /** the whole scenario failed (setup, worker) */
  na: string | null;
}

/** A round whose events went missing or doubled is reported, not hidden: the cell says so. */
function problemOf(r: PhaseReport): string | null {
  const parts: string[] = [];
  if (r.writesFailed) parts.push(`${r.writesFailed} of ${r.writesPlanned} writes failed (${r.firstFailure})`);
  if (r.missing) parts.push(`${r.missing} of ${r.expected} events missing`);
  if (r.duplicates) parts.push(`${r.duplicates} duplicates`);
  if (r.unexpected) parts.push(`${r.unexpected} events the rule should not admit`);
  if (Object.keys(r.closed).length) parts.push(`sockets closed by the server: ${JSON.stringify(r.closed)}`);
  return parts.length ? parts.join('; ') : null;
}

export function fanoutFigures(rounds: FanoutRound[]): FanoutFigures {
  const m = (f: (r: FanoutRound) => number): number => median(rounds.map(f));
  const sum = (f: (r: FanoutRound) => number): number => rounds.reduce((a, r) => a + f(r), 0);
  return {
    writeRps: m((r) => r.report.writeRps),
    eventsPerSec: m((r) => r.report.eventsPerSec),
    commitP50: m((r) => r.report.commitToReceipt.p50),
    commitP90: m((r) => r.report.commitToReceipt.p90),
    commitP99: m((r) => r.report.commitToReceipt.p99),
    sendP50: m((r) => r.report.sendToReceipt.p50),
    sendP99: m((r) => r.report.sendToReceipt.p99),
    writeP99: m((r) => r.report.writeLatency.p99),
    serverCpuPct: m((r) => r.serverCpuPct),
    serverRssMb: m((r) => r.serverRssMb),
    serverRssPeakMb: Math.max(...rounds.map((r) => r.serverRssPeakMb)),
    cpuUsPerEvent: m((r) => r.cpuUsPerEvent),
    loadCpuPct: m((r) => r.loadCpuPct),
    expected: sum((r) => r.report.expected),
    delivered: sum((r) => r.report.delivered),
    missing: sum((r) => r.report.missing),
    duplicates: sum((r) => r.report.duplicates),
    unexpected: sum((r) => r.report.unexpected),
    writesFailed: sum((r) => r.report.writesFailed),
  };
}

/** Talks to the worker: one request, one answer of the expected type (or its failure, or its exit). */
function ask<T>(w: Tracked, msg: ParentMessage, answer: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`fan-out worker: no ${answer} after ${timeoutMs / 1000} s`)), timeoutMs);
    const onMessage = (m: { type: string; message?: string }): void => {
      if (m.type === answer) done(null, m as T);
      else if (m.type === 'failed') done(new Error(`fan-out worker: ${m.message}`));
    };
    const onExit = (): void => done(new Error(`fan-out worker exited: ${w.tail()}`));
    function done(err: Error | null, value?: T): void {
      clearTimeout(timer);
      w.child.off('message', onMessage);
      w.child.off('exit', onExit);
      if (err) reject(err);
      else resolve(value!);
    }
    w.child.on('message', onMessage);
    w.child.once('exit', onExit);
    w.child.send(msg);
  });
}

/**
 * Samples the serving processes' (one server, or a cluster's primary and workers) and the load
 * process's /proc around `run`: CPU summed over the serving processes, RSS the largest of them
 * (the per-worker figure), and that RSS's peak during the run.
 */
async function measured<T>(serverPids: () => number[], loadPid: number, run: () => Promise<T>): Promise<{ value: T; use: PhaseUse }> {
  const pids = serverPids();
  const maxRss = (xs: Array<ProcSample | null>): number => Math.max(0, ...xs.map((x) => x?.rssMb ?? 0));
  const server0 = pids.map(sampleProc);
  const load0 = sampleProc(loadPid);
  let peak = maxRss(server0);
  const sampler = setInterval(() => (peak = Math.max(peak, maxRss(pids.map(sampleProc)))), RSS_SAMPLE_MS);
  try {
    const value = await run();
    const server1 = pids.map(sampleProc);
    const load = usageBetween(load0, sampleProc(loadPid));
    const complete = server0.every(Boolean) && server1.every(Boolean);
    const serverCpuSec = complete ? server1.reduce((a, x, i) => a + x!.cpuSec - server0[i]!.cpuSec, 0) : Number.NaN;
    const wallSec = complete ? server1[0]!.at - server0[0]!.at : Number.NaN;
    const rss = maxRss(server1);
    return { value, use: { serverCpuPct: (serverCpuSec / wallSec) * 100, serverCpuSec, serverRssMb: rss, serverRssPeakMb: Math.max(peak, rss), loadCpuPct: load.cpuPct } };
  } finally {
    clearInterval(sampler);
  }
}

export interface FanoutOptions {
  plan: FanoutPlan;
  form: HearthForm;
  /** run the fan-out rates (scenario `fanout`) */
  rates: boolean;
  /** run the non-matching levels (scenario `fanout-nonmatching`) */
  nonMatching: boolean;
  workDir: string;
  log(message: string): void;
  /** measured phases are appended here (for --cpu-prof summaries) */
  windows: ProfileWindow[];
}

export async function runFanout(t: Target, opts: FanoutOptions): Promise<FanoutResult> {
  const { plan, log } = opts;
  const result: FanoutResult = {
    id: FANOUT_ID,
    form: opts.form,
    subscribers: plan.subscribers,
    users: Math.min(plan.users, plan.subscribers),
    batch: plan.batch,
    workers: plan.workers,
    maxInFlight: plan.maxInFlight,
    durationSec: plan.durationSec,
    rounds: plan.rounds,
    rates: opts.rates ? plan.rates.map((rate) => ({ rate, rounds: [], median: null, na: null })) : [],
    setup: null,
    nonMatching: [],
    memory: [],
    na: null,
  };
  const remember = async (at: string): Promise<void> => {
    if (!t.superuserToken) return;
    const procs = servingProcesses(t.serverPid, plan.workers).filter((p) => p.label !== 'primary');
    result.memory.push(...(await memoryOf(t.url, t.superuserToken, procs, at)));
  };
  if (!t.superuserToken) {
    result.na = 'no superuser token';
    return result;
  }
  const token = t.superuserToken;
  const client = createHearthClient(t.url);
  let worker: Tracked | null = null;
  try {
    // Setup, as an app would: a collection with a per-user listRule, users, then tokens.
    const users = await client.call<{ id: string }>('GET', '/api/collections/users', undefined, token);
    await client.call('POST', '/api/collections', fanoutCollectionJson(users.id), token);
    let t0 = performance.now();
    const ids: string[] = new Array<string>(result.users);
    await eachLimit(
      Array.from({ length: result.users }, (_, i) => i),
      CREATE_CONCURRENCY,
      async (i) => {
        const rec = await client.call<{ id: string }>(
          'POST',
          '/api/collections/users/records',
          { ...fanoutUser(i), password: BENCH_PASSWORD, passwordConfirm: BENCH_PASSWORD },
          token,
        );
        ids[i] = rec.id;
      },
    );
    const createUsersSec = (performance.now() - t0) / 1000;
    const tokens: string[] = new Array<string>(result.users);
    await eachLimit(
      ids.map((id, i) => ({ id, i })),
      IMPERSONATE_CONCURRENCY,
      async ({ id, i }) => {
        const path = `/api/collections/users/impersonate/${id}`;
        for (let attempt = 0; ; attempt++) {
          const res = await client.request('POST', path, { duration: TOKEN_DURATION_SEC }, token);
          if (res.status === 200) {
            tokens[i] = (res.json as { token: string }).token;
            return;
          }
          if (res.status !== 429 || attempt >= 20) throw new HearthRequestError('POST', path, res);
          await new Promise((r) => setTimeout(r, 2000));
        }
      },
    );
    log(`fanout: ${result.users} users created in ${createUsersSec.toFixed(1)} s (one scrypt hash each), tokens by impersonation`);

    const job: FanoutJob = {
      url: t.url,
      wsUrl: `${t.url.replace(/^http/, 'ws')}/api/realtime/ws`,
      collection: FANOUT_COLLECTION,
      users: ids.map((id, i) => ({ id, token: tokens[i]! })),
      subscribers: plan.subscribers,
      batch: plan.batch,
      maxInFlight: plan.maxInFlight,
    };
    const file = join(opts.workDir, 'fanout-job.json');
    writeFileSync(file, JSON.stringify(job));
    worker = spawnTracked('fanout', process.execPath, [join(import.meta.dirname, 'fanout-worker.ts'), file], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    await remember('idle, before the sockets');
    t0 = performance.now();
    await ask(worker, { type: 'connect' }, 'connected', 120_000);
    result.setup = { createUsersSec, connectSec: (performance.now() - t0) / 1000 };
    log(`fanout (${opts.form}): ${plan.subscribers} sockets signed in and subscribed in ${result.setup.connectSec.toFixed(1)} s`);
    await remember(`${plan.subscribers} sockets open, before the writes`);
    const loadPid = worker.child.pid!;
    const serverPids = (): number[] => servingProcesses(t.serverPid, plan.workers).map((p) => p.pid);

    const phase = async (label: string, rate: number, durationSec: number) => {
      const msg: ParentMessage = { type: 'phase', label, rate, durationSec, drainMaxSec: plan.drainMaxSec };
      const timeout = (durationSec + plan.drainMaxSec + 30) * 1000;
      return (await ask<{ report: PhaseReport }>(worker!, msg, 'phase-done', timeout)).report;
    };
    const firstRate = opts.rates ? Math.min(...plan.rates) : plan.nonMatching.rate;
    if (plan.warmupSec > 0) await phase('warm-up', firstRate, plan.warmupSec);
    const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);
    for (let round = 1; round <= (opts.rates ? plan.rounds : 0); round++) {
      const order = result.rates.map((_, i) => result.rates[(i + round - 1) % result.rates.length]!);
      for (const cell of order) {
        const startUs = nowUs();
        const { value: report, use } = await measured(serverPids, loadPid, () => phase(`round ${round}`, cell.rate, plan.durationSec));
        // One window per serving process: with workers each writes its own profile.
        for (const pid of serverPids()) opts.windows.push({ target: t.name, scenario: FANOUT_ID, round, pid, startUs, endUs: nowUs() });
        cell.rounds.push({ round, report, ...use, cpuUsPerEvent: (use.serverCpuSec * 1e6) / report.delivered });
        const problem = problemOf(report);
        if (problem && !cell.na) cell.na = `round ${round}: ${problem}`;
        const c = report.commitToReceipt;
        log(
          `fanout (${opts.form}) ${cell.rate}/s round ${round}/${plan.rounds}: ${report.writeRps.toFixed(0)} writes/s, ` +
            `${report.eventsPerSec.toFixed(0)} events/s, ${report.delivered}/${report.expected} delivered, ` +
            `${report.duplicates} dup, p50 ${c.p50.toFixed(1)} / p99 ${c.p99.toFixed(1)} ms, cpu ${use.serverCpuPct.toFixed(0)}%, ` +
            `${((use.serverCpuSec * 1e6) / report.delivered).toFixed(1)} µs/event, RSS peak ${use.serverRssPeakMb.toFixed(0)} MB` +
            (problem ? ` — ${problem}` : ''),
        );
      }
    }
    for (const cell of result.rates) if (cell.rounds.length) cell.median = fanoutFigures(cell.rounds);
    if (opts.rates) await remember('after the fan-out rates');
    if (opts.nonMatching) {
      const nm = plan.nonMatching;
      for (const level of nm.levels) {
        const extra = await ask<{ sockets: number; subscriptions: number; ms: number }>(worker, { type: 'extra', subscriptions: level, perSocket: nm.perSocket }, 'extra-done', 300_000);
        log(`fanout-nonmatching (${opts.form}): ${extra.subscriptions} non-matching subscriptions on ${extra.sockets} sockets (${(extra.ms / 1000).toFixed(1)} s)`);
        // Unmeasured: the new subscriptions are filed (their conditions compiled) on the first change.
        if (nm.warmupSec > 0) await phase('non-matching warm-up', nm.rate, nm.warmupSec);
        const startUs = nowUs();
        const { value: report, use } = await measured(serverPids, loadPid, () => phase(`non-matching ${level}`, nm.rate, nm.durationSec));
        for (const pid of serverPids()) opts.windows.push({ target: t.name, scenario: NONMATCHING_ID, round: level, pid, startUs, endUs: nowUs() });
        const cpuUsPerWrite = (use.serverCpuSec * 1e6) / report.writesOk;
        const problem = problemOf(report);
        result.nonMatching.push({ subscriptions: extra.subscriptions, sockets: extra.sockets, report, ...use, cpuUsPerWrite, na: problem });
        log(
          `fanout-nonmatching (${opts.form}) ${extra.subscriptions}: ${report.writeRps.toFixed(0)} writes/s, ` +
            `${cpuUsPerWrite.toFixed(0)} µs of server CPU per write, cpu ${use.serverCpuPct.toFixed(0)}%, ${report.delivered}/${report.expected} delivered` +
            (problem ? ` — ${problem}` : ''),
        );
      }
      await remember('after the non-matching levels');
    }
    await ask(worker, { type: 'close' }, 'closed', 30_000);
  } catch (err) {
    result.na = (err as Error).message.split('\n')[0]!;
    log(`fanout: n/a (${result.na})`);
  } finally {
    if (worker) {
      // The worker exits once it has closed its sockets; make sure it does.
      const w = worker;
      await Promise.race([w.exited, new Promise((r) => setTimeout(r, 5000))]);
      await stopTracked(w, 2000);
    }
  }
  return result;
}
