/**
 * The fan-out load process (forked by harness/fanout.ts, never the server's or the harness's
 * process): opens the WebSocket subscribers, then per phase drives paced writes over HTTP
 * keep-alive and checks every event that comes back — each subscriber must receive exactly the
 * writes its listRule admits (its own user's), once each. For the non-matching scenario it also
 * opens sockets whose subscriptions filter on a topic no write carries: they must receive nothing.
 * Talks to the parent over IPC:
 *
 * parent → {type:'connect'} · {type:'phase', label, rate, durationSec, drainMaxSec} ·
 *          {type:'extra', subscriptions, perSocket} · {type:'close'}
 * worker → {type:'connected', …} · {type:'phase-done', report} · {type:'extra-done', …} ·
 *          {type:'closed'} · {type:'failed', message}
 *
 * Latency per event, both on this process's clock against timestamps in the record:
 * - commit → receipt: receipt time minus the record's `created` (set by the server inside the
 *   write transaction, just before COMMIT; millisecond resolution, truncated);
 * - send → receipt: receipt time minus the record's `sentAt` (this process, just before the POST).
 */
import { readFileSync } from 'node:fs';
import { Agent, request, type ClientRequest } from 'node:http';
import WebSocket from 'ws';
import { ownerOfSocket, ownerOfWrite } from '../scenarios/fanout.ts';

export interface FanoutJob {
  url: string;
  wsUrl: string;
  collection: string;
  users: Array<{ id: string; token: string }>;
  subscribers: number;
  /** creates per write request: 1 = one POST per record, more = POST /api/batch, one owner each */
  batch: number;
  /** write requests in flight at most */
  maxInFlight: number;
}

export type ParentMessage =
  | { type: 'connect' }
  | { type: 'phase'; label: string; rate: number; durationSec: number; drainMaxSec: number }
  /** Opens more sockets until `subscriptions` non-matching subscriptions exist, `perSocket` on each. */
  | { type: 'extra'; subscriptions: number; perSocket: number }
  | { type: 'close' };

/**
 * The filter of non-matching subscription k: a topic no write carries (writes leave `topic`
 * empty), each subscription its own, as a chat client watching other rooms.
 */
export const nonMatchingFilter = (k: number): string => `topic = "t${k}"`;

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface PhaseReport {
  label: string;
  rate: number;
  durationSec: number;
  writesPlanned: number;
  writesOk: number;
  writesFailed: number;
  firstFailure: string | null;
  /** first POST sent → last response, s */
  writeSec: number;
  /** successful writes per second over writeSec */
  writeRps: number;
  /** POST round trip, ms */
  writeLatency: Percentiles;
  /** events the rule admits for the successful writes (Σ over writes of the owner's sockets) */
  expected: number;
  /** distinct expected events received */
  delivered: number;
  missing: number;
  /** an event a socket had already received */
  duplicates: number;
  /** an event for another user's record, or for a write that failed: a rule violation */
  unexpected: number;
  /** events of an earlier phase that arrived after its drain wait (counted missing there) */
  late: number;
  /** first POST sent → last event received, s */
  deliverSec: number;
  eventsPerSec: number;
  commitToReceipt: Percentiles;
  sendToReceipt: Percentiles;
  socketsOpen: number;
  /** sockets the server closed during the phase, by close code */
  closed: Record<string, number>;
  /** `error` messages received */
  errorMessages: number;
  /** non-matching subscriptions open (on sockets of their own) during the phase */
  nonMatching: number;
}

interface Sock {
  ws: WebSocket;
  user: number;
  userId: string;
  stage: 'ready' | 'auth' | 'subscribe' | 'live';
  got: Set<number>;
  closed: boolean;
}

interface Write {
  owner: number;
  /** 0 pending, 1 ok, 2 failed */
  state: 0 | 1 | 2;
}

const CONNECT_CONCURRENCY = 50;
const HTTP_CONNECTIONS = 32;
/** Writes stop being issued this long after the phase's duration, even if fewer were sent. */
const ISSUE_GRACE_SEC = 2;

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as FanoutJob;
const U = job.users.length;
const K = Math.max(1, job.batch);
const clock = (): number => performance.timeOrigin + performance.now();
const send = (msg: unknown): void => void process.send!(msg);

const socks: Sock[] = [];
const socketsOf: number[] = new Array<number>(U).fill(0);
/** Sockets holding only non-matching subscriptions: any change they receive breaks a rule. */
const extraSocks: WebSocket[] = [];
let extraSubs = 0;

/** Per phase state (events are attributed by their write number n). */
let base = 0;
let writes: Write[] = [];
let delivered = 0;
let duplicates = 0;
let unexpected = 0;
let late = 0;
let errorMessages = 0;
let lastReceipt = 0;
let commitLat: number[] = [];
let sendLat: number[] = [];
let closedCodes: Record<string, number> = {};

function percentiles(xs: number[]): Percentiles {
  if (xs.length === 0) return { p50: Number.NaN, p90: Number.NaN, p99: Number.NaN, max: Number.NaN };
  const s = Float64Array.from(xs).sort();
  const at = (q: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: s[s.length - 1]! };
}

function onChange(sock: Sock, msg: { record?: { n?: unknown; owner?: unknown; created?: unknown; sentAt?: unknown } }, at: number): void {
  const rec = msg.record ?? {};
  const n = typeof rec.n === 'number' ? rec.n : -1;
  if (n >= 0 && n < base) {
    late++;
    return;
  }
  const w = writes[n - base];
  if (!w || rec.owner !== sock.userId || w.owner !== sock.user) {
    unexpected++;
    return;
  }
  if (sock.got.has(n)) {
    duplicates++;
    return;
  }
  sock.got.add(n);
  delivered++;
  lastReceipt = at;
  if (typeof rec.created === 'string') commitLat.push(at - Date.parse(rec.created.replace(' ', 'T')));
  if (typeof rec.sentAt === 'number') sendLat.push(at - rec.sentAt);
}

function openSocket(j: number): Promise<void> {
  const user = ownerOfSocket(j, U);
  const { id: userId, token } = job.users[user]!;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(job.wsUrl, { perMessageDeflate: false });
    const sock: Sock = { ws, user, userId, stage: 'ready', got: new Set(), closed: false };
    ws.on('message', (data: Buffer) => {
      const at = clock();
      let msg: { type?: string; status?: number; message?: string };
      try {
        msg = JSON.parse(data.toString('utf8')) as typeof msg;
      } catch {
        errorMessages++;
        return;
      }
      if (sock.stage === 'live') {
        if (msg.type === 'change') onChange(sock, msg as Parameters<typeof onChange>[1], at);
        else if (msg.type === 'error') errorMessages++;
        return;
      }
      if (msg.type === 'error') return reject(new Error(`socket ${j} (${sock.stage}): ${msg.status} ${msg.message}`));
      if (sock.stage === 'ready' && msg.type === 'ready') {
        sock.stage = 'auth';
        ws.send(JSON.stringify({ type: 'auth', token }));
      } else if (sock.stage === 'auth' && msg.type === 'ready') {
        sock.stage = 'subscribe';
        ws.send(JSON.stringify({ type: 'subscribe', id: 's1', collection: job.collection }));
      } else if (sock.stage === 'subscribe' && msg.type === 'subscribed') {
        sock.stage = 'live';
        resolve();
      }
    });
    ws.on('error', (err) => {
      if (sock.stage !== 'live') reject(new Error(`socket ${j}: ${err.message}`));
    });
    ws.on('close', (code) => {
      sock.closed = true;
      closedCodes[code] = (closedCodes[code] ?? 0) + 1;
      if (sock.stage !== 'live') reject(new Error(`socket ${j} closed with ${code} before it was subscribed`));
    });
    socks[j] = sock;
    socketsOf[user] = (socketsOf[user] ?? 0) + 1;
  });
}

/** A socket signed in as user `user` with `count` subscriptions whose filters match no write. */
function openExtraSocket(user: number, first: number, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(job.wsUrl, { perMessageDeflate: false });
    let stage: 'ready' | 'auth' | 'subscribe' | 'live' = 'ready';
    let pending = count;
    ws.on('message', (data: Buffer) => {
      let msg: { type?: string; status?: number; message?: string };
      try {
        msg = JSON.parse(data.toString('utf8')) as typeof msg;
      } catch {
        errorMessages++;
        return;
      }
      if (stage === 'live') {
        if (msg.type === 'change') unexpected++;
        else if (msg.type === 'error') errorMessages++;
        return;
      }
      if (msg.type === 'error') return reject(new Error(`extra socket (${stage}): ${msg.status} ${msg.message}`));
      if (stage === 'ready' && msg.type === 'ready') {
        stage = 'auth';
        ws.send(JSON.stringify({ type: 'auth', token: job.users[user]!.token }));
      } else if (stage === 'auth' && msg.type === 'ready') {
        stage = 'subscribe';
        for (let k = first; k < first + count; k++) {
          ws.send(JSON.stringify({ type: 'subscribe', id: `x${k}`, collection: job.collection, filter: nonMatchingFilter(k) }));
        }
      } else if (stage === 'subscribe' && msg.type === 'subscribed' && --pending === 0) {
        stage = 'live';
        resolve();
      }
    });
    ws.on('error', (err) => {
      if (stage !== 'live') reject(new Error(`extra socket: ${err.message}`));
    });
    ws.on('close', (code) => {
      closedCodes[code] = (closedCodes[code] ?? 0) + 1;
      if (stage !== 'live') reject(new Error(`extra socket closed with ${code} before it was subscribed`));
    });
    extraSocks.push(ws);
  });
}

async function addExtra(total: number, perSocket: number): Promise<{ sockets: number; subscriptions: number; ms: number }> {
  const t0 = performance.now();
  const jobs: Array<{ user: number; first: number; count: number }> = [];
  for (let k = extraSubs, j = extraSocks.length; k < total; j++) {
    const count = Math.min(perSocket, total - k);
    jobs.push({ user: j % U, first: k, count });
    k += count;
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const j = jobs[next++]!;
      await openExtraSocket(j.user, j.first, j.count);
      extraSubs += j.count;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONNECT_CONCURRENCY, jobs.length) }, worker));
  return { sockets: extraSocks.length, subscriptions: extraSubs, ms: performance.now() - t0 };
}

async function connectAll(): Promise<{ sockets: number; ms: number }> {
  const t0 = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < job.subscribers) await openSocket(next++);
  };
  await Promise.all(Array.from({ length: Math.min(CONNECT_CONCURRENCY, job.subscribers) }, worker));
  return { sockets: socks.length, ms: performance.now() - t0 };
}

const agent = new Agent({ keepAlive: true, maxSockets: HTTP_CONNECTIONS });
const recordsUrl = `/api/collections/${job.collection}/records`;
const target = new URL(K > 1 ? '/api/batch' : recordsUrl, job.url);
/** Global write counter: n is unique across phases, so late events are attributed to their phase. */
let nextN = 0;

/** Per keep-alive socket: requests sent on it and when the last one ended (for failure reports). */
const socketUse = new WeakMap<object, { requests: number; lastEnd: number }>();

/**
 * A request error with what tells its causes apart: a reused keep-alive socket that sat idle
 * (the server's keep-alive timeout closing it as the request went out) or a fresh one.
 */
function describeFailure(req: ClientRequest, err: NodeJS.ErrnoException): string {
  const use = req.socket ? socketUse.get(req.socket) : undefined;
  if (!use) return `${err.message} (no socket)`;
  const idle = use.lastEnd > 0 ? `, idle ${(clock() - use.lastEnd).toFixed(0)} ms before it` : '';
  return `${err.message} (${req.reusedSocket ? 'reused keep-alive socket' : 'new socket'}, request ${use.requests} on it${idle})`;
}

/** Whether a batch answer says every create succeeded; else what failed first. */
function batchFailure(text: string): string | null {
  try {
    const items = JSON.parse(text) as Array<{ status?: number; body?: unknown }>;
    if (!Array.isArray(items) || items.length !== K) return `batch answered ${text.slice(0, 200)}`;
    const bad = items.find((r) => typeof r.status !== 'number' || r.status < 200 || r.status > 299);
    return bad ? `batch item ${bad.status} ${JSON.stringify(bad.body).slice(0, 200)}` : null;
  } catch {
    return `batch answered ${text.slice(0, 200)}`;
  }
}

/** Writes ns[] (all by `owner`) in one request: a POST per record, or one POST /api/batch. */
function post(ns: number[], owner: number, onDone: (ms: number, failure: string | null) => void): void {
  const user = job.users[owner]!;
  const sentAt = clock();
  const records = ns.map((n) => ({ owner: user.id, n, sentAt }));
  const body = JSON.stringify(K > 1 ? { requests: records.map((r) => ({ method: 'POST', url: recordsUrl, body: r })) } : records[0]);
  const req = request(
    target,
    {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: user.token },
    },
    (res) => {
      const ok = res.statusCode! >= 200 && res.statusCode! < 300;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        if ((!ok && text.length < 300) || (ok && K > 1)) text += c;
      });
      res.on('end', () => onDone(clock() - sentAt, ok ? (K > 1 ? batchFailure(text) : null) : `${res.statusCode} ${text.slice(0, 300)}`));
    },
  );
  req.on('error', (err) => onDone(clock() - sentAt, describeFailure(req, err)));
  req.once('socket', (socket) => {
    const use = socketUse.get(socket) ?? { requests: 0, lastEnd: 0 };
    use.requests++;
    socketUse.set(socket, use);
    req.once('close', () => (use.lastEnd = clock()));
  });
  req.end(body);
}

async function runPhase(p: Extract<ParentMessage, { type: 'phase' }>): Promise<PhaseReport> {
  // Whole requests of K writes each; base stays a multiple of K, so a request's writes share an owner.
  const planned = Math.max(1, Math.ceil((p.rate * p.durationSec) / K)) * K;
  base = nextN;
  nextN += planned;
  writes = Array.from({ length: planned }, (_, i) => ({ owner: ownerOfWrite(base + i, U, K), state: 0 as const }));
  delivered = duplicates = unexpected = late = errorMessages = 0;
  commitLat = [];
  sendLat = [];
  closedCodes = {};
  for (const s of socks) s.got.clear();
  const writeLat: number[] = [];
  let ok = 0;
  let failed = 0;
  let firstFailure: string | null = null;
  let inFlight = 0;
  let issued = 0;
  let lastResponse = 0;
  const t0 = clock();
  lastReceipt = t0;

  await new Promise<void>((resolve) => {
    let stopIssuing = false;
    const maybeDone = (): void => {
      if (stopIssuing && inFlight === 0) resolve();
    };
    const timer = setInterval(() => {
      const elapsed = (clock() - t0) / 1000;
      const due = Math.min(planned, Math.floor(elapsed * p.rate) + 1);
      // A request goes once its last write is due, K writes at a time, at most maxInFlight requests.
      while (issued + K <= due && inFlight < job.maxInFlight) {
        const first = issued;
        issued += K;
        const ws = writes.slice(first, first + K);
        inFlight++;
        post(
          ws.map((_, k) => base + first + k),
          ws[0]!.owner,
          (ms, failure) => {
            inFlight--;
            lastResponse = clock();
            writeLat.push(ms);
            for (const w of ws) w.state = failure === null ? 1 : 2;
            if (failure === null) ok += K;
            else {
              failed += K;
              firstFailure ??= failure;
            }
            maybeDone();
          },
        );
      }
      if (issued >= planned || elapsed > p.durationSec + ISSUE_GRACE_SEC) {
        stopIssuing = true;
        clearInterval(timer);
        maybeDone();
      }
    }, 1);
  });

  let expected = 0;
  for (const w of writes) if (w.state === 1) expected += socketsOf[w.owner]!;
  const drainUntil = clock() + p.drainMaxSec * 1000;
  while (delivered < expected && clock() < drainUntil && socks.some((s) => !s.closed)) await new Promise((r) => setTimeout(r, 10));

  // Count only events of successful writes as delivered; any other event breaks the rule.
  let deliveredOk = 0;
  for (const s of socks) for (const n of s.got) if (writes[n - base]!.state === 1) deliveredOk++;
  unexpected += delivered - deliveredOk;
  const writeSec = (lastResponse - t0) / 1000;
  const deliverSec = (lastReceipt - t0) / 1000;
  return {
    label: p.label,
    rate: p.rate,
    durationSec: p.durationSec,
    writesPlanned: planned,
    writesOk: ok,
    writesFailed: failed + (planned - issued),
    firstFailure: firstFailure ?? (issued < planned ? `only ${issued} of ${planned} writes issued in time` : null),
    writeSec,
    writeRps: writeSec > 0 ? ok / writeSec : Number.NaN,
    writeLatency: percentiles(writeLat),
    expected,
    delivered: deliveredOk,
    missing: expected - deliveredOk,
    duplicates,
    unexpected,
    late,
    deliverSec,
    eventsPerSec: deliverSec > 0 ? deliveredOk / deliverSec : Number.NaN,
    commitToReceipt: percentiles(commitLat),
    sendToReceipt: percentiles(sendLat),
    socketsOpen: socks.filter((s) => !s.closed).length,
    closed: closedCodes,
    errorMessages,
    nonMatching: extraSubs,
  };
}

async function closeAll(): Promise<void> {
  await Promise.all(
    [...socks.map((s) => s.ws), ...extraSocks].map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          const timer = setTimeout(() => {
            ws.terminate();
            resolve();
          }, 2000);
          ws.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          ws.close(1000, 'bench done');
        }),
    ),
  );
  agent.destroy();
}

process.on('message', (msg: ParentMessage) => {
  const run = async (): Promise<void> => {
    if (msg.type === 'connect') send({ type: 'connected', ...(await connectAll()) });
    else if (msg.type === 'phase') send({ type: 'phase-done', report: await runPhase(msg) });
    else if (msg.type === 'extra') send({ type: 'extra-done', ...(await addExtra(msg.subscriptions, msg.perSocket)) });
    else if (msg.type === 'close') {
      await closeAll();
      send({ type: 'closed' });
      process.disconnect();
    }
  };
  run().catch((err: unknown) => send({ type: 'failed', message: err instanceof Error ? err.message : String(err) }));
});
// Orphaned (the harness died): end rather than hold 1,000 sockets open.
process.on('disconnect', () => {
  for (const s of socks) s.ws.terminate();
  for (const ws of extraSocks) ws.terminate();
  agent.destroy();
  process.exit(0);
});
