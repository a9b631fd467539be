/**
 * Live subscriptions of one collection, indexed so a change reaches its candidates without a
 * walk over every subscription. Each subscription's compiled condition (its rule for the caller,
 * AND its filter) is classified once — when it subscribes, when its caller changes, when the
 * collection's schema changes — never per write:
 *
 * - `byValue`: conditions with an atom `col = "value"` (memory-condition.ts), filed under that
 *   column and value (`owner = @request.auth.id` → owner/<the caller's id>; with several such
 *   atoms, the one with the fewest subscriptions so far); a change is looked up by its
 *   snapshots' values, so non-matching subscriptions cost nothing;
 * - `scan`: other in-memory conditions (`""` rules, `col != ""`…), checked per change in memory;
 * - `sql`: everything else (joins, `@collection`, relation paths, numbers, LIKE…), run as SQL
 *   over the batch's snapshots, one query per distinct condition;
 * - `byRecord`: subscriptions to one record, looked up by the change's record id.
 * Superuser-only conditions admit nothing and are not filed.
 *
 * Memory per subscription matters at 10,000 of them (docs/benchmarks.md, memory): a value bucket
 * holding one entry is the entry itself, not a Set (most buckets of `topic = "x"` filters hold
 * one), and an entry keeps no closures.
 */
import type { Collection } from '../collections/model.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import type { SqlFragment } from '../query/resolver.ts';
import type { Row } from './change-feed.ts';
import { toMemoryCondition, type Atom, type MemoryCondition } from './memory-condition.ts';
import type { Compiled, Subscription } from './subscription.ts';

export interface Entry {
  sub: Subscription;
  compiled: Compiled;
  /** Null: evaluated in SQL. */
  memory: MemoryCondition | null;
  /** Memo keys of the SQL parts (rule, filter), computed once. */
  sqlKeys: string[];
  /** Where the entry is filed, for removal: a set (scan, sql, one record's), or a value bucket. */
  slot: Set<Entry> | null;
  /** The column and value of the bucket an entry is filed in when `slot` is null. */
  column: string | null;
  value: string | null;
}

/** A value bucket: one entry (the common case), or a set of them. */
type Bucket = Entry | Set<Entry>;

const memoKey = (f: SqlFragment): string => f.sql + '\u0000' + JSON.stringify(f.params);
/** No SQL parts (an in-memory condition); replaced, never mutated (fanout.ts). */
const NO_KEYS: string[] = [];

export class CollectionIndex {
  readonly collectionId: string;
  private collection: Collection | null = null;
  private readonly subs = new Set<Subscription>();
  private readonly entries = new Map<Subscription, Entry>();
  readonly byValue = new Map<string, Map<string, Bucket>>();
  readonly scan = new Set<Entry>();
  readonly sql = new Set<Entry>();
  readonly byRecord = new Map<string, Set<Entry>>();

  constructor(collectionId: string) {
    this.collectionId = collectionId;
  }

  get size(): number {
    return this.subs.size;
  }

  all(): IterableIterator<Subscription> {
    return this.subs.values();
  }

  add(sub: Subscription): void {
    this.subs.add(sub);
    // Filed lazily (prepare, on the next change), so subscribing itself compiles nothing more here.
    this.pending.add(sub);
  }

  delete(sub: Subscription): void {
    this.subs.delete(sub);
    this.pending.delete(sub);
    this.unfile(sub);
  }

  /** The caller of `sub` changed: its condition is classified again. */
  refile(sub: Subscription): void {
    if (!this.subs.has(sub)) return;
    this.unfile(sub);
    this.pending.add(sub);
  }

  private readonly pending = new Set<Subscription>();

  /**
   * Files pending subscriptions (all of them after a schema change) for `collection`. Returns the
   * subscriptions whose condition no longer compiles, for the caller to report and drop.
   */
  prepare(collection: Collection, registry: CollectionRegistry, textColumns: ReadonlySet<string>): Array<{ sub: Subscription; err: unknown }> {
    if (this.collection !== collection) {
      this.collection = collection;
      this.entries.clear();
      this.byValue.clear();
      this.scan.clear();
      this.sql.clear();
      this.byRecord.clear();
      for (const sub of this.subs) this.pending.add(sub);
    }
    const failed: Array<{ sub: Subscription; err: unknown }> = [];
    if (this.pending.size === 0) return failed;
    for (const sub of this.pending) {
      if (sub.removed) continue;
      try {
        this.file(sub, sub.compile(registry, collection), textColumns);
      } catch (err) {
        failed.push({ sub, err });
      }
    }
    this.pending.clear();
    return failed;
  }

  private file(sub: Subscription, compiled: Compiled, textColumns: ReadonlySet<string>): void {
    if (compiled.access.kind === 'superusers_only') return;
    const parts: SqlFragment[] = [];
    if (compiled.access.kind === 'where') parts.push(compiled.access.where);
    if (compiled.filter) parts.push(compiled.filter);
    const memory = toMemoryCondition(parts, textColumns);
    if (memory?.never) return;
    const key = !sub.recordId && memory ? this.keyOf(memory) : null;
    const slot = sub.recordId ? setIn(this.byRecord, sub.recordId) : !memory ? this.sql : key ? null : this.scan;
    const entry: Entry = { sub, compiled, memory, sqlKeys: memory ? NO_KEYS : parts.map(memoKey), slot, column: key ? key.column : null, value: key ? key.value : null };
    if (slot) slot.add(entry);
    else this.fileByValue(entry, key!.column, key!.value);
    this.entries.set(sub, entry);
  }

  private fileByValue(entry: Entry, column: string, value: string): void {
    let values = this.byValue.get(column);
    if (!values) this.byValue.set(column, (values = new Map()));
    const bucket = values.get(value);
    if (!bucket) values.set(value, entry);
    else if (bucket instanceof Set) bucket.add(entry);
    else values.set(value, new Set([bucket, entry]));
  }

  private unfileByValue(entry: Entry, column: string, value: string): void {
    const values = this.byValue.get(column);
    const bucket = values?.get(value);
    if (!values || !bucket) return;
    if (bucket instanceof Set) {
      bucket.delete(entry);
      if (bucket.size === 1) values.set(value, bucket.values().next().value as Entry);
      else if (bucket.size > 0) return;
      else values.delete(value);
    } else if (bucket === entry) values.delete(value);
    if (values.size === 0) this.byValue.delete(column);
  }

  /**
   * The atom to file a condition under: any `col = value` of the conjunction will do (all must
   * hold), so the one whose bucket is smallest now, the rule's first on a tie. A caller's
   * subscriptions share the rule's value (`owner = <caller>`), so one that also filters
   * `room = "x"` lands under the room once the caller has others, and a write reaches only the
   * subscriptions of its own room, not every subscription of its owner.
   */
  private keyOf(memory: MemoryCondition): Extract<Atom, { kind: 'is' }> | null {
    let best: Extract<Atom, { kind: 'is' }> | null = null;
    let bestSize = Number.POSITIVE_INFINITY;
    for (const a of memory.atoms) {
      if (a.kind !== 'is' || a.negated) continue;
      const bucket = this.byValue.get(a.column)?.get(a.value);
      const size = bucket === undefined ? 0 : bucket instanceof Set ? bucket.size : 1;
      if (size < bestSize) {
        best = a;
        bestSize = size;
      }
    }
    return best;
  }

  private unfile(sub: Subscription): void {
    const entry = this.entries.get(sub);
    if (!entry) return;
    this.entries.delete(sub);
    if (entry.column !== null) return this.unfileByValue(entry, entry.column, entry.value!);
    entry.slot!.delete(entry);
    if (entry.slot!.size === 0 && sub.recordId && this.byRecord.get(sub.recordId) === entry.slot) this.byRecord.delete(sub.recordId);
  }

  counts(): { byValue: number; scan: number; sql: number; byRecord: number } {
    let byValue = 0;
    for (const values of this.byValue.values()) for (const bucket of values.values()) byValue += bucket instanceof Set ? bucket.size : 1;
    let byRecord = 0;
    for (const set of this.byRecord.values()) byRecord += set.size;
    return { byValue, scan: this.scan.size, sql: this.sql.size, byRecord };
  }

  /** Entries that may admit `row` through the value index (the others cannot). */
  candidates(row: Row, out: Set<Entry>): void {
    for (const [column, byValue] of this.byValue) {
      const v = row[column];
      if (typeof v === 'string') {
        const hit = byValue.get(v);
        if (hit instanceof Set) for (const e of hit) out.add(e);
        else if (hit) out.add(hit);
      } else if (v !== null && v !== undefined) {
        // Not a string (a number stored in a text column): only SQL can tell; every entry filed here may match.
        for (const bucket of byValue.values()) {
          if (bucket instanceof Set) for (const e of bucket) out.add(e);
          else out.add(bucket);
        }
      }
    }
  }
}

function setIn<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}
