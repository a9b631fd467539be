/**
 * The fan-out of fanout.ts on an engine whose reads are promises (PostgreSQL): the same plan,
 * candidates, decisions and delivery, with the database work done first instead of on demand.
 * Per batch: the snapshot shapes are loaded (once per collection version), every SQL condition
 * a candidate may need runs over the batch's snapshots (snapshot-values.ts: one statement per
 * many conditions), the records sent with expand/fields are rendered through `runSteps` on the
 * engine (once per distinct rendering), and then the delivery runs in one turn as on SQLite.
 * Candidates are read ahead generously (subscriptions still replaying too, since one may turn
 * live during the reads); what is read ahead is only a cache, the decisions are fanout.ts's.
 * The hub runs one batch at a time, in seq order.
 */
import type { Collection } from '../collections/model.ts';
import type { SqlQueryable } from '../db/index.ts';
import { serializeRecord } from '../records/index.ts';
import { finishRecordsOn } from '../records/read-options.ts';
import type { SqlFragment } from '../query/resolver.ts';
import type { ChangeEntry, Row } from './change-feed.ts';
import { candidatesOf, decide, deliver, groupsOf, planInto, sqlKeysOf, type FanoutDeps, type FanoutOptions, type GroupPlan } from './fanout.ts';
import { evaluate } from './memory-condition.ts';
import type { CollectionIndex, Entry } from './sub-index.ts';
import type { Subscription } from './subscription.ts';

type Wanted = Array<{ where: SqlFragment; key: string }>;

/** Whether a delivery could ever reach `entry` for `change` (live-ness may still change; it is not looked at). */
function mayReach(entry: Entry, change: ChangeEntry): boolean {
  const sub = entry.sub;
  return !(sub.removed || sub.conn.closed || change.seq <= sub.lastSeq || (sub.recordId !== undefined && sub.recordId !== change.recordId));
}

/** The SQL conditions the decisions of this plan may ask about. */
function wantedSql(plan: GroupPlan, changes: ChangeEntry[]): Wanted {
  const wanted = new Map<string, SqlFragment>();
  const candidates = new Set<Entry>();
  for (const change of changes) {
    const keys = plan.keys.get(change);
    if (!keys) continue;
    for (const entry of candidatesOf(plan, change, keys, candidates)) {
      if (!mayReach(entry, change)) continue;
      const { access, filter } = entry.compiled;
      if (access.kind === 'superusers_only') continue;
      if (entry.memory) {
        const after = keys.after === null ? true : evaluate(entry.memory, plan.batch.row(keys.after)) !== undefined;
        const before = keys.before === null ? true : evaluate(entry.memory, plan.batch.row(keys.before)) !== undefined;
        if (after && before) continue;
        if (entry.sqlKeys.length === 0) entry.sqlKeys = sqlKeysOf(entry);
      }
      const k = entry.sqlKeys;
      if (access.kind === 'where') wanted.set(k[0]!, access.where);
      if (filter) wanted.set(access.kind === 'where' ? k[1]! : k[0]!, filter);
    }
  }
  return [...wanted].map(([key, where]) => ({ key, where }));
}

/** The JSON each expand/fields subscription is sent, per change (fanout.ts renders the rest itself). */
async function renderAhead(deps: FanoutDeps, q: SqlQueryable, plan: GroupPlan, changes: ChangeEntry[], out: Map<ChangeEntry, Map<Subscription, string>>): Promise<void> {
  const candidates = new Set<Entry>();
  for (const change of changes) {
    const keys = plan.keys.get(change);
    if (!keys) continue;
    const byKey = new Map<string, string>();
    for (const entry of [...candidatesOf(plan, change, keys, candidates)]) {
      const sub = entry.sub;
      if ((!sub.expand && !sub.fields) || !mayReach(entry, change)) continue;
      const sent = decide(plan, entry, change, keys);
      if (!sent) continue;
      const key = `${sent.row === change.previous ? 'b' : 'a'}|${sub.renderKey(plan.collection)}`;
      let json = byKey.get(key);
      if (json === undefined) byKey.set(key, (json = await renderOn(deps, q, sub, plan.collection, sent.row)));
      let bySub = out.get(change);
      if (!bySub) out.set(change, (bySub = new Map()));
      bySub.set(sub, json);
    }
  }
}

async function renderOn(deps: FanoutDeps, q: SqlQueryable, sub: Subscription, collection: Collection, row: Row): Promise<string> {
  const info = sub.info();
  const record = serializeRecord(collection, row, info);
  try {
    const [out] = await finishRecordsOn({ registry: deps.records.registry, q }, collection, [record], { expand: sub.expand, fields: sub.fields }, info);
    return JSON.stringify(out);
  } catch (err) {
    deps.logger.debug('realtime: expand/fields failed; sending the plain record', err);
    return JSON.stringify(record);
  }
}

/** fanOut (fanout.ts) with its reads on `q`. */
export async function fanOutOn(
  deps: FanoutDeps,
  q: SqlQueryable,
  changes: ChangeEntry[],
  indexFor: (collectionId: string) => CollectionIndex | undefined,
  opts: FanoutOptions,
): Promise<void> {
  const groups = groupsOf(deps, changes, indexFor);
  if (groups.length === 0) return;
  const ready = [];
  for (const g of groups) {
    try {
      await deps.snapshots.load?.(g.collection);
      ready.push(g);
    } catch (err) {
      deps.logger.warn(`realtime: reading the columns of "${g.collection.name}" failed; its changes are skipped in this batch`, err);
    }
  }
  const plans = new Map<string, GroupPlan>();
  try {
    planInto(plans, deps, ready);
    if (plans.size === 0) return;
    const rendered = new Map<ChangeEntry, Map<Subscription, string>>();
    for (const plan of plans.values()) {
      const group = changes.filter((c) => c.collectionId === plan.collection.id);
      await plan.batch.prefetch?.(wantedSql(plan, group));
      await renderAhead(deps, q, plan, group, rendered);
    }
    deliver(deps, changes, plans, opts, (sub, collection, row, change) => {
      const json = sub.expand || sub.fields ? rendered.get(change)?.get(sub) : undefined;
      return json ?? JSON.stringify(serializeRecord(collection, row, sub.info()));
    });
  } finally {
    for (const plan of plans.values()) plan.batch.clear();
  }
}
