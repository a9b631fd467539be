/**
 * A bounded memo per collection version: entries live with the collection object (the registry
 * makes a new one on every schema change, so an older version's entries go with it), at most
 * `max` per version, and a full memo is dropped whole rather than tracked for recency. Keys are
 * best kept as the same string objects request after request (a rule's text, a compiled SQL),
 * so a lookup hashes nothing new.
 */
import type { Collection } from './model.ts';

export interface VersionMemo<K, V> {
  get(collection: Collection, key: K): V | undefined;
  set(collection: Collection, key: K, value: V): void;
  /** The kept value, else `build()`'s, kept. */
  getOr(collection: Collection, key: K, build: () => V): V;
}

export function versionMemo<K, V>(max: number): VersionMemo<K, V> {
  const byVersion = new WeakMap<Collection, Map<K, V>>();

  function set(collection: Collection, key: K, value: V): void {
    let entries = byVersion.get(collection);
    if (!entries) byVersion.set(collection, (entries = new Map()));
    if (entries.size >= max) entries.clear();
    entries.set(key, value);
  }

  return {
    get: (collection, key) => byVersion.get(collection)?.get(key),
    set,
    getOr(collection, key, build) {
      let value = byVersion.get(collection)?.get(key);
      if (value === undefined) set(collection, key, (value = build()));
      return value;
    },
  };
}
