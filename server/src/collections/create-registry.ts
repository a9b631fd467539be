/**
 * The in-memory CollectionRegistry: every `_collections` row, indexed by id and by lower-cased
 * name, deep-frozen so no reader can alter the shared model. `reload()` re-reads the table through
 * the engine and bumps `version` (callers key caches of compiled rules and SQL by it); `refresh()`
 * reloads when the shared schema version moved (either engine). Given SQLite's synchronous `SqlDb`
 * as well, the registry also loads synchronously (`reloadSync`) and keeps the per-request
 * `refreshIfStale()` synchronous and cheap: one pragma when nobody else wrote, at most once per
 * event-loop turn. On Postgres other nodes' schema changes arrive as notes (`refresh()`).
 */
import {
  turnWriterProbe,
  readSchemaVersion,
  readSchemaVersionSteps,
  runSteps,
  runStepsSync,
  type SqlDb,
  type SqlQueryable,
} from '../db/index.ts';
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

export interface RegistrySource {
  /** Where `reload()` reads (outside any transaction: it sees the last commit). */
  engine: SqlQueryable;
  /** SQLite's synchronous interface on the same file: loads at once and checks staleness per request. */
  db?: SqlDb;
}

/** With `db` the registry is loaded on return; without, it is empty until `await reload()` (see openRegistry). */
export function createRegistry(source: RegistrySource): CollectionRegistry {
  const { engine, db } = source;
  let list: Collection[] = [];
  let byId = new Map<string, Collection>();
  let byName = new Map<string, Collection>();
  let version = 0;
  let loadedSchemaVersion = -1;
  const otherWriter = db ? turnWriterProbe(db) : () => false;
  let checkedThisTurn = false;
  const endTurn = () => {
    checkedThisTurn = false;
  };

  const apply = (schemaVersion: number, rows: Collection[]) => {
    loadedSchemaVersion = schemaVersion;
    list = deepFreeze(rows);
    byId = new Map(list.map((c) => [c.id, c]));
    byName = new Map(list.map((c) => [c.name.toLowerCase(), c]));
    version++;
  };
  // The version first: a commit between the two reads makes the next check reload again, never miss.
  const reload = async () => apply(await runSteps(readSchemaVersionSteps(engine.dialect), engine), await runSteps(loadCollectionRows(engine.dialect), engine));
  const reloadSync = db ? () => apply(readSchemaVersion(db), runStepsSync(loadCollectionRows(engine.dialect), db)) : undefined;

  const find = (nameOrId: string): Collection | undefined => byId.get(nameOrId) ?? byName.get(nameOrId.toLowerCase());

  reloadSync?.();
  return {
    dialect: engine.dialect,
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
    reloadSync,
    load: apply,
    async refresh() {
      if ((await runSteps(readSchemaVersionSteps(engine.dialect), engine)) === loadedSchemaVersion) return false;
      await reload();
      return true;
    },
    refreshIfStale() {
      if (!db) return false;
      // Once per event-loop turn: requests read in one turn arrived before the turn's first
      // check, so a commit they could have seen is seen by it. Under load many share one pragma.
      if (checkedThisTurn) return false;
      checkedThisTurn = true;
      setImmediate(endTurn);
      if (!otherWriter() || readSchemaVersion(db) === loadedSchemaVersion) return false;
      reloadSync!();
      return true;
    },
  };
}

/** A registry loaded through the engine (any engine). */
export async function openRegistry(source: RegistrySource): Promise<CollectionRegistry> {
  const registry = createRegistry(source);
  if (!source.db) await registry.reload();
  return registry;
}
