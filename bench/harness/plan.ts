/**
 * How much work a run does: the quick and full profiles (rounds, durations, amounts, dataset
 * sizes) and the id-pool arithmetic that lets every delete phase consume fresh ids.
 */
import type { DatasetSizes } from '../scenarios/dataset.ts';
import type { LoadShape, Scenario } from '../scenarios/index.ts';

export interface Plan {
  name: 'quick' | 'full' | 'smoke';
  rounds: number;
  connections: number;
  readSec: number;
  /** a warm-up load phase before the measured rounds (JIT, page cache); the preflight always runs */
  warmup: boolean;
  warmupSec: number;
  /** per measured round */
  writeAmount: Record<'insert-member' | 'update-by-id' | 'delete-by-id', number>;
  warmupAmount: number;
  /** a write phase ends after its amount or this many seconds, whichever comes first */
  writeMaxSec: number;
  sizes: Omit<DatasetSizes, 'deleteItems'>;
  /** length of the cycled request list for random reads */
  readListLength: number;
  fanout: FanoutPlan;
}

/**
 * The realtime fan-out scenario (Hearth only): `subscribers` WebSockets spread over `users`
 * distinct users (socket j belongs to user j mod users), each subscribed to a collection whose
 * listRule admits only the record's owner; writes at each of `rates` per second for `durationSec`,
 * each round running every rate once (order rotated per round).
 */
export interface FanoutPlan {
  subscribers: number;
  /**
   * Distinct users. Each costs one scrypt hash at sign-up (~0.25 s of the server's thread pool on
   * the reference machine, 2 in parallel), which is what bounds this — not the sockets.
   */
  users: number;
  /** writes per second, one measured phase each per round */
  rates: number[];
  /**
   * Creates per request: 1 POSTs each record on its own; more sends them through `POST /api/batch`
   * (one transaction, all by the same owner), as a high-rate producer would.
   */
  batch: number;
  /** Write requests in flight at most (the rest are not issued yet): bounds the server's backlog. */
  maxInFlight: number;
  /** `hearth serve --workers N` for the realtime server (CPU summed over its processes, RSS per process) */
  workers: number;
  durationSec: number;
  rounds: number;
  /** a first, unmeasured phase at the lowest rate (JIT, statement caches) */
  warmupSec: number;
  /** after the last write, how long missing events are waited for before counting them lost */
  drainMaxSec: number;
  /**
   * How Hearth runs for these scenarios, each form its own server: `bundle` is the deployed form
   * (`dist/hearth.cjs`, built first), `source` runs the TypeScript by type stripping, which idles
   * far higher (the footprint table), so RSS is reported for both.
   */
  forms: HearthForm[];
  nonMatching: NonMatchingPlan;
}

export type HearthForm = 'source' | 'bundle';

/**
 * The non-matching scenario: on top of the fan-out subscribers, `levels` non-matching
 * subscriptions (ascending, added between phases), `perSocket` per extra socket; writes at
 * `rate` per second for `durationSec` at each level, after a `warmupSec` phase that files the
 * new subscriptions.
 */
export interface NonMatchingPlan {
  levels: number[];
  perSocket: number;
  rate: number;
  durationSec: number;
  warmupSec: number;
}

export const PLANS: Record<Plan['name'], Plan> = {
  full: {
    name: 'full',
    rounds: 3,
    connections: 64,
    readSec: 5,
    warmup: true,
    warmupSec: 2,
    // 3 rounds × 33,334 ≈ the 100,000 inserts of TrailBase's benchmark, per target.
    writeAmount: { 'insert-member': 33_334, 'update-by-id': 10_000, 'delete-by-id': 5_000 },
    warmupAmount: 2_000,
    writeMaxSec: 30,
    // 25 users, each signing in once: under Hearth's default 30 password sign-ins per minute per IP
    // even if the settings that turn rate limits off are ignored (each costs a scrypt hash, too).
    sizes: { posts: 10_000, authors: 100, users: 25, rooms: 10, roomsPerUser: 3, patchItems: 5_000 },
    readListLength: 50_000,
    fanout: {
      subscribers: 1_000,
      users: 100,
      // 2,000, 2,500 and 3,000 writes/s: 20,000, 25,000 and 30,000 events/s offered, so a server
      // that keeps up shows it, and 2,500 whether it does with margin over the 20,000 goal.
      rates: [500, 2_000, 2_500, 3_000],
      batch: 10,
      maxInFlight: 64,
      // Both cores serve (the sockets and the writes spread over two workers, each feeding its own
      // sockets from the log); --fanout-workers 1 gives the one-process figures.
      workers: 2,
      durationSec: 10,
      rounds: 2,
      warmupSec: 3,
      drainMaxSec: 10,
      forms: ['bundle', 'source'],
      nonMatching: { levels: [0, 1_000, 5_000, 10_000], perSocket: 10, rate: 500, durationSec: 10, warmupSec: 2 },
    },
  },
  quick: {
    name: 'quick',
    rounds: 1,
    connections: 64,
    readSec: 2,
    warmup: true,
    warmupSec: 1,
    writeAmount: { 'insert-member': 5_000, 'update-by-id': 3_000, 'delete-by-id': 2_000 },
    warmupAmount: 500,
    writeMaxSec: 15,
    sizes: { posts: 10_000, authors: 100, users: 20, rooms: 5, roomsPerUser: 3, patchItems: 2_000 },
    readListLength: 10_000,
    fanout: {
      subscribers: 200,
      users: 20,
      rates: [100],
      batch: 10,
      maxInFlight: 64,
      workers: 1,
      durationSec: 5,
      rounds: 1,
      warmupSec: 1,
      drainMaxSec: 5,
      forms: ['source'],
      nonMatching: { levels: [0, 1_000], perSocket: 10, rate: 100, durationSec: 5, warmupSec: 1 },
    },
  },
  smoke: {
    name: 'smoke',
    rounds: 1,
    connections: 4,
    readSec: 0.5,
    warmup: false,
    warmupSec: 0.2,
    writeAmount: { 'insert-member': 100, 'update-by-id': 100, 'delete-by-id': 100 },
    warmupAmount: 20,
    writeMaxSec: 10,
    sizes: { posts: 500, authors: 10, users: 2, rooms: 2, roomsPerUser: 1, patchItems: 50 },
    readListLength: 200,
    fanout: {
      subscribers: 8,
      users: 2,
      rates: [20],
      batch: 4,
      maxInFlight: 16,
      workers: 1,
      durationSec: 1,
      rounds: 1,
      warmupSec: 0,
      drainMaxSec: 3,
      forms: ['source'],
      nonMatching: { levels: [0, 8], perSocket: 4, rate: 20, durationSec: 1, warmupSec: 0.2 },
    },
  },
};

/** A connection builds one request ahead of what it sends: lists carry this much spare. */
export const slackFor = (plan: Plan): number => plan.connections * 2;

/** Phase 0 is the warm-up (its first request is the preflight), phases 1..rounds are measured. */
export function shapeOf(plan: Plan, s: Scenario, phase: number): LoadShape {
  if (s.kind === 'read') return { durationSec: phase === 0 ? plan.warmupSec : plan.readSec };
  if (phase === 0) return { amount: plan.warmupAmount, maxSec: plan.writeMaxSec };
  return { amount: plan.writeAmount[s.id as keyof Plan['writeAmount']], maxSec: plan.writeMaxSec };
}

/** Requests to build for a phase: amount + spare + the preflight, or the read cycle length. */
export function countFor(plan: Plan, s: Scenario, phase: number): number {
  const shape = shapeOf(plan, s, phase);
  return 'amount' in shape ? shape.amount + slackFor(plan) + (phase === 0 ? 1 : 0) : plan.readListLength + 1;
}

/** Where phase `phase` starts in an id pool, given that earlier phases used countFor each. */
export function poolOffset(plan: Plan, s: Scenario, phase: number): number {
  let offset = 0;
  for (let p = 0; p < phase; p++) offset += countFor(plan, s, p);
  return offset;
}

export function datasetSizes(plan: Plan, deleteScenario: Scenario | undefined): DatasetSizes {
  const deleteItems = deleteScenario ? poolOffset(plan, deleteScenario, plan.rounds + 1) : 0;
  return { ...plan.sizes, deleteItems };
}
