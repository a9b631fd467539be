/**
 * The in-memory CollectionRegistry: every `_collections` row, indexed by id and by lower-cased
 * name, deep-frozen so no reader can alter the shared model. `reload()` re-reads the table and
 * bumps `version` (callers key caches of compiled rules and SQL by it). `refreshIfStale()`
 * reloads when another process changed the schema since: one pragma when nobody else wrote,
 * at most once per event-loop turn.
 */
import { otherWriterProbe, readSchemaVersion, type SqlDb } from '../db/index.ts';
import { notFound } from '../shared/errors.ts';
import type { Collection } from './model.ts';
import type { CollectionRegistry } from './registry.ts';
import { loadCollectionRows } from './store.ts';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function createRegistry(db: SqlDb): CollectionRegistry {
  let list: Collection[] = [];
  let byId = new Map<string, Collection>();
  let byName = new Map<string, Collection>();
  let version = 0;
  let loadedSchemaVersion = -1;
  const otherWriter = otherWriterProbe(db);
  let checkedThisTurn = false;
  const endTurn = () => {
    checkedThisTurn = false;
  };

  const reload = () => {
    loadedSchemaVersion = readSchemaVersion(db);
    list = deepFreeze(loadCollectionRows(db));
    byId = new Map(list.map((c) => [c.id, c]));
    byName = new Map(list.map((c) => [c.name.toLowerCase(), c]));
    version++;
  };

  const find = (nameOrId: string): Collection | undefined => byId.get(nameOrId) ?? byName.get(nameOrId.toLowerCase());

  reload();
  return {
    find,
    get(nameOrId) {
      const found = find(nameOrId);
      if (!found) throw notFound();
      return found;
    },
    all: () => list,
    get version() {
      return version;
    },
    reload,
    refreshIfStale() {
      // Once per event-loop turn: requests read in one turn arrived before the turn's first
      // check, so a commit they could have seen is seen by it. Under load many share one pragma.
      if (checkedThisTurn) return false;
      checkedThisTurn = true;
      setImmediate(endTurn);
      if (!otherWriter() || readSchemaVersion(db) === loadedSchemaVersion) return false;
      reload();
      return true;
    },
  };
}
