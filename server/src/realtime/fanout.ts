/**
 * Fan-out of a batch of changes to subscriptions, costing what the matches cost. Per change, the
 * candidates are the collection's subscriptions filed under the values of the change's snapshots
 * (the state after, and before for updates and deletes), plus those checked per change in memory
 * or in SQL (sub-index.ts). In-memory conditions are evaluated on the snapshot; SQL conditions
 * run once per distinct condition over all snapshots of the batch, in the collection's snapshot
 * table, so N subscribers sharing a caller or a filter cost one query, not N. A record is
 * serialised once per distinct rendering (hidden fields, expand, fields) and each wire frame
 * built and UTF-8 encoded once per change for every subscription id that shares it: the
 * connections it goes to are handed the same bytes. On SQLite all of it runs in one turn over the
 * synchronous interface; on an engine whose reads are promises, fanout-engine.ts runs the same
 * plan with its SQL and expand/fields reads done first. Changes are delivered in seq order:
 *
 * | action | before visible | after visible | sent as |
 * |---|---|---|---|
 * | create | – | yes | create |
 * | update | yes | yes | update |
 * | update | no | yes | create (moved into the subscription) |
 * | update | yes | no | delete, with the before state (moved out) |
 * | update | unknown | yes | update |
 * | delete | yes | – | delete |
 */
import type { Collection } from '../collections/model.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import type { SqlDb, SqlQueryable } from '../db/index.ts';
import { serializeRecord } from '../records/index.ts';
import { finishRecordsSync } from '../records/read-options.ts';
import type { RecordAction } from '../shared/events.ts';
import type { Logger } from '../shared/logger.ts';
import type { ChangeEntry, Row } from './change-feed.ts';
import { evaluate } from './memory-condition.ts';
import type { SnapshotBatch, SnapshotTables } from './snapshot-batch.ts';
import { CollectionIndex, type Entry } from './sub-index.ts';
import type { ChangeEncoder, Subscription, SubscriptionOwner } from './subscription.ts';

export interface FanoutDeps {
  registry: CollectionRegistry;
  snapshots: SnapshotTables;
  /** expand/fields reads: `db` for the one-turn fan-out (SQLite), `q` for fanout-engine.ts. */
  records: { registry: CollectionRegistry; db?: SqlDb; q?: SqlQueryable };
  logger: Logger;
  /** A subscription whose filter no longer compiles (schema changed): tell the client, drop it. */
  onSubscriptionError(sub: Subscription, err: unknown): void;
  /** The caller's token expired: end its stream. */
  onCallerExpired(conn: SubscriptionOwner): void;
}

type Keys = Set<number> | 'all';
const NONE: Keys = new Set<number>();

export interface SnapshotKeys {
  after: number | null;
  before: number | null;
}

export interface GroupPlan {
  collection: Collection;
  index: CollectionIndex;
  batch: SnapshotBatch;
  keys: Map<ChangeEntry, SnapshotKeys>;
  /** SQL verdicts per entry, computed on first need. */
  sqlVerdicts: Map<Entry, Keys>;
}

const has = (keys: Keys, key: number): boolean => keys === 'all' || keys.has(key);

function intersect(a: Set<number>, b: Set<number>): Set<number> {
  const out = new Set<number>();
  for (const k of a) if (b.has(k)) out.add(k);
  return out;
}

function sqlVerdict(plan: GroupPlan, entry: Entry): Keys {
  let keys = plan.sqlVerdicts.get(entry);
  if (keys) return keys;
  const { access, filter } = entry.compiled;
  const k = entry.sqlKeys;
  if (access.kind === 'superusers_only') keys = NONE;
  else {
    const byRule: Keys = access.kind === 'where' ? plan.batch.matching(access.where, k[0]) : 'all';
    if (!filter) keys = byRule;
    else {
      const byFilter = plan.batch.matching(filter, access.kind === 'where' ? k[1] : k[0]);
      keys = byRule === 'all' ? byFilter : intersect(byRule, byFilter);
    }
  }
  plan.sqlVerdicts.set(entry, keys);
  return keys;
}

/** Whether the entry's condition admits the snapshot behind `key`. */
function sees(plan: GroupPlan, entry: Entry, key: number | null): boolean {
  if (key === null) return false;
  if (entry.memory) {
    const holds = evaluate(entry.memory, plan.batch.row(key));
    if (holds !== undefined) return holds;
    // A value memory cannot judge (say a number in a text column): SQL decides, with keys for every part.
    if (entry.sqlKeys.length === 0) entry.sqlKeys = sqlKeysOf(entry);
  }
  return has(sqlVerdict(plan, entry), key);
}

export function sqlKeysOf(entry: Entry): string[] {
  const parts = [];
  if (entry.compiled.access.kind === 'where') parts.push(entry.compiled.access.where);
  if (entry.compiled.filter) parts.push(entry.compiled.filter);
  return parts.map((f) => f.sql + '\u0000' + JSON.stringify(f.params));
}

/** What a subscription is sent for one change, and which snapshot it carries. */
export function decide(plan: GroupPlan, entry: Entry, change: ChangeEntry, keys: SnapshotKeys): { action: RecordAction; row: Row } | null {
  if (change.action === 'create') return sees(plan, entry, keys.after) ? { action: 'create', row: change.record! } : null;
  if (change.action === 'delete') return sees(plan, entry, keys.before) ? { action: 'delete', row: change.record! } : null;
  const after = sees(plan, entry, keys.after);
  if (keys.before === null) return after ? { action: 'update', row: change.record! } : null;
  const before = sees(plan, entry, keys.before);
  if (after) return { action: before ? 'update' : 'create', row: change.record! };
  return before ? { action: 'delete', row: change.previous! } : null;
}

function planGroup(deps: FanoutDeps, collection: Collection, changes: ChangeEntry[], index: CollectionIndex): GroupPlan | null {
  for (const { sub, err } of index.prepare(collection, deps.registry, deps.snapshots.textColumns(collection))) deps.onSubscriptionError(sub, err);
  if (index.size === 0) return null;
  const batch = deps.snapshots.open(collection);
  const plan: GroupPlan = { collection, index, batch, keys: new Map(), sqlVerdicts: new Map() };
  for (const c of changes) {
    if (!c.record) continue;
    plan.keys.set(c, {
      after: c.action === 'delete' ? null : batch.add(c.record),
      before: c.action === 'delete' ? batch.add(c.record) : c.action === 'update' && c.previous ? batch.add(c.previous) : null,
    });
  }
  return plan;
}

/** Renders the record a subscription is sent (fanout-engine.ts passes one that reads ahead). */
export type Renderer = (sub: Subscription, collection: Collection, row: Row, change: ChangeEntry) => string;

function render(deps: FanoutDeps, sub: Subscription, collection: Collection, row: Row): string {
  const info = sub.info();
  const record = serializeRecord(collection, row, info);
  if (!sub.expand && !sub.fields) return JSON.stringify(record);
  try {
    const [out] = finishRecordsSync({ registry: deps.records.registry, db: deps.records.db! }, collection, [record], { expand: sub.expand, fields: sub.fields }, info);
    return JSON.stringify(out);
  } catch (err) {
    deps.logger.debug('realtime: expand/fields failed; sending the plain record', err);
    return JSON.stringify(record);
  }
}

/** The entries that may see one change: filed under its snapshots' values, or checked per change. */
export function candidatesOf(plan: GroupPlan, change: ChangeEntry, keys: SnapshotKeys, out: Set<Entry>): Set<Entry> {
  out.clear();
  const { index, batch } = plan;
  if (keys.after !== null) index.candidates(batch.row(keys.after), out);
  if (keys.before !== null) index.candidates(batch.row(keys.before), out);
  const byRecord = index.byRecord.get(change.recordId);
  if (byRecord) for (const e of byRecord) out.add(e);
  for (const e of index.scan) out.add(e);
  for (const e of index.sql) out.add(e);
  return out;
}

export interface FanoutOptions {
  /** Live fan-out skips subscriptions still replaying `since` (the replay delivers to them). */
  live: boolean;
}

/**
 * Delivers `changes` (ascending seq) to the subscriptions of the index `indexFor` returns per
 * collection id. Changes at or below a subscription's `lastSeq` are skipped (replay/live dedupe).
 */
export function fanOut(deps: FanoutDeps, changes: ChangeEntry[], indexFor: (collectionId: string) => CollectionIndex | undefined, opts: FanoutOptions): void {
  const plans = new Map<string, GroupPlan>();
  try {
    planInto(plans, deps, groupsOf(deps, changes, indexFor));
    if (plans.size === 0) return;
    deliver(deps, changes, plans, opts, (sub, collection, row) => render(deps, sub, collection, row));
  } finally {
    for (const plan of plans.values()) plan.batch.clear();
  }
}

export interface Group {
  collection: Collection;
  index: CollectionIndex;
  changes: ChangeEntry[];
}

/** The changes per collection that has subscriptions (views have none). */
export function groupsOf(deps: FanoutDeps, changes: ChangeEntry[], indexFor: (collectionId: string) => CollectionIndex | undefined): Group[] {
  const byId = new Map<string, ChangeEntry[]>();
  for (const c of changes) {
    let g = byId.get(c.collectionId);
    if (!g) byId.set(c.collectionId, (g = []));
    g.push(c);
  }
  const groups: Group[] = [];
  for (const [collectionId, group] of byId) {
    const index = indexFor(collectionId);
    if (!index || index.size === 0) continue;
    const collection = deps.registry.find(collectionId);
    if (!collection || collection.id !== collectionId || collection.type === 'view') continue;
    groups.push({ collection, index, changes: group });
  }
  return groups;
}

/** Plans each group into `plans` (the caller clears their batches in a finally). */
export function planInto(plans: Map<string, GroupPlan>, deps: FanoutDeps, groups: Group[]): void {
  for (const { collection, index, changes } of groups) {
    const plan = planGroup(deps, collection, changes, index);
    if (plan) plans.set(collection.id, plan);
  }
}

export function deliver(deps: FanoutDeps, changes: ChangeEntry[], plans: Map<string, GroupPlan>, opts: FanoutOptions, renderer: Renderer): void {
  const nowMs = Date.now();
  const candidates = new Set<Entry>();
  const rendered = new Map<string, string>();
  const frames = new Map<ChangeEncoder, Map<string, Uint8Array>>();
  // Each connection's socket is corked from its first frame of this batch to the end of it: the
  // batch's frames for one socket leave in one write, not one system call per change.
  const corked: SubscriptionOwner[] = [];
  try {
    deliverChanges(deps, changes, plans, opts, { nowMs, candidates, rendered, frames, corked, renderer });
  } finally {
    for (const conn of corked) conn.uncork();
    candidates.clear();
  }
}

interface DeliveryScratch {
  nowMs: number;
  candidates: Set<Entry>;
  rendered: Map<string, string>;
  frames: Map<ChangeEncoder, Map<string, Uint8Array>>;
  corked: SubscriptionOwner[];
  renderer: Renderer;
}

function deliverChanges(deps: FanoutDeps, changes: ChangeEntry[], plans: Map<string, GroupPlan>, opts: FanoutOptions, scratch: DeliveryScratch): void {
  const { nowMs, candidates, rendered, frames, corked, renderer } = scratch;
  for (const change of changes) {
    const plan = plans.get(change.collectionId);
    const keys = plan?.keys.get(change);
    if (!plan || !keys) continue;
    rendered.clear();
    frames.clear();
    for (const entry of candidatesOf(plan, change, keys, candidates)) {
      const sub = entry.sub;
      if (sub.removed || sub.conn.closed || change.seq <= sub.lastSeq || (opts.live && !sub.live)) continue;
      if (sub.recordId && sub.recordId !== change.recordId) continue;
      const out = decide(plan, entry, change, keys);
      if (!out) continue;
      if (sub.conn.caller.expiresAt <= nowMs) {
        deps.onCallerExpired(sub.conn);
        continue;
      }
      const cacheKey = `${out.row === change.previous ? 'b' : 'a'}|${sub.renderKey(plan.collection)}`;
      let json = rendered.get(cacheKey);
      if (json === undefined) rendered.set(cacheKey, (json = renderer(sub, plan.collection, out.row, change)));
      let byEncoder = frames.get(sub.hooks.encode);
      if (!byEncoder) frames.set(sub.hooks.encode, (byEncoder = new Map()));
      const frameKey = `${cacheKey}|${out.action}|${sub.conn.protocol === 'sse' ? sub.conn.id : ''}|${sub.id}`;
      let frame = byEncoder.get(frameKey);
      // Encoded to bytes once: every socket it goes to writes the same buffer (no copy per socket).
      if (frame === undefined) byEncoder.set(frameKey, (frame = Buffer.from(sub.hooks.encode(sub, out.action, change.seq, json))));
      sub.lastSeq = change.seq;
      if (sub.conn.cork()) corked.push(sub.conn);
      sub.conn.send(frame);
    }
  }
}
