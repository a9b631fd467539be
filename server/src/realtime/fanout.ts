/**
 * Fan-out of a batch of changes to subscriptions. Per collection in the batch, every snapshot
 * (the state after, and the state before for updates and deletes) goes into the collection's
 * snapshot table once; each distinct compiled condition (a rule for one caller, a filter) runs
 * once over all of them, so N subscribers sharing a caller, a rule shape with the same params or
 * a filter cost one query, not N. Then changes are delivered in seq order:
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
import type { RecordsDeps } from '../records/index.ts';
import { serializeRecord } from '../records/index.ts';
import { finishRecords } from '../records/read-options.ts';
import type { RecordAction } from '../shared/events.ts';
import type { Logger } from '../shared/logger.ts';
import type { ChangeEntry, Row } from './change-feed.ts';
import type { SnapshotBatch, SnapshotTables } from './snapshot-table.ts';
import type { Compiled, Subscription, SubscriptionOwner } from './subscription.ts';

export interface FanoutDeps {
  registry: CollectionRegistry;
  snapshots: SnapshotTables;
  records: RecordsDeps;
  logger: Logger;
  /** A subscription whose filter no longer compiles (schema changed): tell the client, drop it. */
  onSubscriptionError(sub: Subscription, err: unknown): void;
  /** The caller's token expired: end its stream. */
  onCallerExpired(conn: SubscriptionOwner): void;
}

type Keys = Set<number> | 'all';
const NONE: Keys = new Set<number>();

interface SnapshotKeys {
  after: number | null;
  before: number | null;
}

interface GroupPlan {
  collection: Collection;
  keys: Map<ChangeEntry, SnapshotKeys>;
  verdicts: Array<{ sub: Subscription; visible: Keys }>;
}

const has = (keys: Keys, key: number | null): boolean => key !== null && (keys === 'all' || keys.has(key));

function intersect(a: Set<number>, b: Set<number>): Set<number> {
  const out = new Set<number>();
  for (const k of a) if (b.has(k)) out.add(k);
  return out;
}

function visibleKeys(batch: SnapshotBatch, compiled: Compiled): Keys {
  if (compiled.access.kind === 'superusers_only') return NONE;
  const byRule: Keys = compiled.access.kind === 'where' ? batch.matching(compiled.access.where) : 'all';
  if (!compiled.filter) return byRule;
  const byFilter = batch.matching(compiled.filter);
  return byRule === 'all' ? byFilter : intersect(byRule, byFilter);
}

/** What a subscription is sent for one change, and which snapshot it carries. */
function decide(change: ChangeEntry, keys: SnapshotKeys, visible: Keys): { action: RecordAction; row: Row } | null {
  const after = has(visible, keys.after);
  const before = has(visible, keys.before);
  if (change.action === 'create') return after ? { action: 'create', row: change.record! } : null;
  if (change.action === 'delete') return before ? { action: 'delete', row: change.record! } : null;
  if (keys.before === null) return after ? { action: 'update', row: change.record! } : null;
  if (after) return { action: before ? 'update' : 'create', row: change.record! };
  return before ? { action: 'delete', row: change.previous! } : null;
}

function planGroup(deps: FanoutDeps, collection: Collection, changes: ChangeEntry[], subs: Subscription[]): GroupPlan {
  const plan: GroupPlan = { collection, keys: new Map(), verdicts: [] };
  const ids = new Set(changes.map((c) => c.recordId));
  const relevant = subs.filter((s) => !s.removed && !s.conn.closed && (!s.recordId || ids.has(s.recordId)));
  if (relevant.length === 0) return plan;
  const batch = deps.snapshots.open(collection);
  try {
    for (const c of changes) {
      if (!c.record) continue;
      plan.keys.set(c, {
        after: c.action === 'delete' ? null : batch.add(c.record),
        before: c.action === 'delete' ? batch.add(c.record) : c.action === 'update' && c.previous ? batch.add(c.previous) : null,
      });
    }
    for (const sub of relevant) {
      let compiled: Compiled;
      try {
        compiled = sub.compile(deps.registry, collection);
      } catch (err) {
        deps.onSubscriptionError(sub, err);
        continue;
      }
      plan.verdicts.push({ sub, visible: visibleKeys(batch, compiled) });
    }
  } finally {
    batch.clear();
  }
  return plan;
}

function render(deps: FanoutDeps, sub: Subscription, collection: Collection, row: Row): string {
  const info = sub.info();
  const record = serializeRecord(collection, row, info);
  if (!sub.expand && !sub.fields) return JSON.stringify(record);
  try {
    const [out] = finishRecords(deps.records, collection, [record], { expand: sub.expand, fields: sub.fields }, info);
    return JSON.stringify(out);
  } catch (err) {
    deps.logger.debug('realtime: expand/fields failed; sending the plain record', err);
    return JSON.stringify(record);
  }
}

/**
 * Delivers `changes` (ascending seq) to the subscriptions `subsFor` returns per collection id.
 * Changes at or below a subscription's `lastSeq` are skipped (replay/live dedupe).
 */
export function fanOut(deps: FanoutDeps, changes: ChangeEntry[], subsFor: (collectionId: string) => Subscription[] | undefined): void {
  const groups = new Map<string, ChangeEntry[]>();
  for (const c of changes) {
    let g = groups.get(c.collectionId);
    if (!g) groups.set(c.collectionId, (g = []));
    g.push(c);
  }
  const plans = new Map<string, GroupPlan>();
  for (const [collectionId, group] of groups) {
    const subs = subsFor(collectionId);
    if (!subs || subs.length === 0) continue;
    const collection = deps.registry.find(collectionId);
    if (!collection || collection.id !== collectionId || collection.type === 'view') continue;
    plans.set(collectionId, planGroup(deps, collection, group, subs));
  }
  if (plans.size === 0) return;
  const nowMs = Date.now();
  for (const change of changes) {
    const plan = plans.get(change.collectionId);
    const keys = plan?.keys.get(change);
    if (!plan || !keys) continue;
    const rendered = new Map<string, string>();
    for (const { sub, visible } of plan.verdicts) {
      if (sub.removed || sub.conn.closed || change.seq <= sub.lastSeq) continue;
      if (sub.recordId && sub.recordId !== change.recordId) continue;
      const out = decide(change, keys, visible);
      if (!out) continue;
      if (sub.conn.caller.expiresAt <= nowMs) {
        deps.onCallerExpired(sub.conn);
        continue;
      }
      const cacheKey = `${out.row === change.previous ? 'b' : 'a'}|${sub.renderKey(plan.collection)}`;
      let json = rendered.get(cacheKey);
      if (json === undefined) rendered.set(cacheKey, (json = render(deps, sub, plan.collection, out.row)));
      sub.lastSeq = change.seq;
      sub.conn.send(sub.hooks.encode(sub, out.action, change.seq, json));
    }
  }
}
