/**
 * The collections admin service: list/get/create/update/delete/truncate/import and the bootstrap
 * of built-in collections, on the async engine (either engine). Every change runs in one
 * transaction that also reads the new collection list, which the registry takes as soon as the
 * commit returns; then `schemaChanged` is emitted. The work itself is written as steps
 * (db/steps.ts), so the SQLite start-up can run the bootstrap synchronously on the same code.
 */
import { readSchemaVersionSteps, runSteps, runStepsSync, type SqlDb, type SqlEngine, type SqlTx, type Steps } from '../db/index.ts';
import type { EventBus } from '../shared/events.ts';
import { authSystemCollectionInputs, parkLegacyTable, restoreLegacyRows } from './auth-system-collections.ts';
import { SUPERUSERS_INPUT, USERS_INPUT } from './bootstrap.ts';
import { syncAllRelationIndexes } from './ddl/relation-indexes.ts';
import { deleteCollection, truncateCollection } from './delete-collection.ts';
import { checkImportList, importCollections } from './import-collections.ts';
import type { Collection } from './model.ts';
import type { CollectionRegistry } from './registry.ts';
import { saveCollection, type RuleValidator, type SaveDeps } from './save-collection.ts';
import { loadCollectionRows } from './store.ts';
import { parseCollectionInput } from './wire.ts';

export interface CollectionsServiceDeps {
  engine: SqlEngine;
  /** SQLite's synchronous interface on the same file: enables `bootstrapSystemCollectionsSync`. */
  db?: SqlDb;
  registry: CollectionRegistry;
  events: EventBus;
  /** Checks a rule's syntax against the collection; throws when invalid. Default: accepts all. */
  validateRule?: RuleValidator;
}

export interface CollectionsService {
  list(): Collection[];
  get(nameOrId: string): Collection;
  create(input: unknown): Promise<Collection>;
  /** Partial update: only the keys sent change (`fields`, when sent, is the whole new list). */
  update(nameOrId: string, input: unknown): Promise<Collection>;
  delete(nameOrId: string): Promise<void>;
  truncate(nameOrId: string): Promise<void>;
  /** `also` runs in the same transaction after the import (e.g. recording an applied migration). */
  importCollections(list: unknown[], deleteMissing: boolean, also?: (tx: SqlTx) => Promise<void>): Promise<void>;
  /** Creates the built-in collections a database lacks (one transaction). */
  bootstrapSystemCollections(): Promise<void>;
  /** The same, synchronously on SQLite (`deps.db`), for the synchronous server start. */
  bootstrapSystemCollectionsSync(): void;
  /** Sees schema changes made by other processes (the CLI, a second server); cheap per request, synchronous. */
  refreshIfStale(): void;
  /** Reloads when the shared schema version moved (a note from another node or worker); any engine. */
  refresh(): Promise<void>;
}

interface Written<T> {
  result: T;
  schemaVersion: number;
  rows: Collection[];
}

export function createCollectionsService(deps: CollectionsServiceDeps): CollectionsService {
  const { engine, registry, events } = deps;
  const { dialect } = engine;
  const saveDeps: SaveDeps = { dialect, validateRule: deps.validateRule ?? (() => {}) };

  /** Runs `work`, then reads what the registry will hold, all in the same transaction. */
  function* andRead<T>(work: Steps<T>): Steps<Written<T>> {
    const result = yield* work;
    return { result, schemaVersion: yield* readSchemaVersionSteps(dialect), rows: yield* loadCollectionRows(dialect) };
  }

  const applied = async <T>(written: Written<T>): Promise<T> => {
    if (registry.load) registry.load(written.schemaVersion, written.rows);
    else await registry.reload();
    return written.result;
  };

  const write = async <T>(work: () => Steps<T>, collectionId: string | null | ((result: T) => string), also?: (tx: SqlTx) => Promise<void>): Promise<T> => {
    const written = await engine.transaction(async (tx) => {
      const done = await runSteps(andRead(work()), tx);
      await also?.(tx);
      return done;
    });
    const result = await applied(written);
    events.emit('schemaChanged', { collectionId: typeof collectionId === 'function' ? collectionId(result) : collectionId });
    return result;
  };

  /** Inside a larger transaction (the bootstrap): the registry follows each step at once. */
  function* createStep(input: unknown, failMessage: string, created: string[]): Steps<Collection> {
    const parsed = parseCollectionInput(input, failMessage);
    const written = yield* andRead(saveCollection(saveDeps, { input: parsed, catalog: registry, failMessage }));
    registry.load?.(written.schemaVersion, written.rows);
    created.push(written.result.id);
    return written.result;
  }

  /** users is created bare, then given its own fields, so they follow the auth fields (PocketBase's order). */
  function* createUsers(created: string[]): Steps<void> {
    const fail = 'Failed to create the users collection.';
    const { fields, ...bare } = USERS_INPUT;
    const users = yield* createStep({ ...bare, fields: [] }, fail, created);
    const autodates = users.fields.filter((f) => f.type === 'autodate');
    const input = parseCollectionInput({ fields: [...users.fields.filter((f) => f.type !== 'autodate'), ...fields, ...autodates] }, fail);
    const written = yield* andRead(saveCollection(saveDeps, { input, original: users, catalog: registry, failMessage: fail }));
    registry.load?.(written.schemaVersion, written.rows);
  }

  function* bootstrap(created: string[]): Steps<void> {
    yield* syncAllRelationIndexes(dialect, registry.all());
    if (!registry.find(SUPERUSERS_INPUT.name)) {
      yield* createStep(SUPERUSERS_INPUT, 'Failed to create the _superusers collection.', created);
      if (!registry.find(USERS_INPUT.name)) yield* createUsers(created);
    }
    for (const input of authSystemCollectionInputs()) {
      const name = String(input.name);
      if (registry.find(name)) continue;
      const parked = yield* parkLegacyTable(dialect, name);
      yield* createStep(input, `Failed to create the ${name} collection.`, created);
      if (parked) yield* restoreLegacyRows(dialect, parked, name);
    }
  }

  const announce = (created: string[]) => {
    for (const id of created) events.emit('schemaChanged', { collectionId: id });
  };

  return {
    list: () => [...registry.all()],
    get: (nameOrId) => registry.get(nameOrId),
    async create(input) {
      const failMessage = 'Failed to create collection.';
      const parsed = parseCollectionInput(input, failMessage);
      const saved = await write(() => saveCollection(saveDeps, { input: parsed, catalog: registry, failMessage }), (c) => c.id);
      return registry.get(saved.id);
    },
    async update(nameOrId, input) {
      const original = registry.get(nameOrId);
      const failMessage = 'Failed to update collection.';
      const parsed = parseCollectionInput(input, failMessage);
      await write(() => saveCollection(saveDeps, { input: parsed, original, catalog: registry, failMessage }), original.id);
      return registry.get(original.id);
    },
    async delete(nameOrId) {
      const collection = registry.get(nameOrId);
      await write(() => deleteCollection(dialect, registry, collection), collection.id);
    },
    async truncate(nameOrId) {
      const collection = registry.get(nameOrId);
      await write(() => truncateCollection(dialect, collection), collection.id);
    },
    async importCollections(list, deleteMissing, also) {
      checkImportList(list);
      await write(() => importCollections(saveDeps, [...registry.all()], list, deleteMissing), null, also);
    },
    refreshIfStale() {
      if (registry.refreshIfStale?.()) events.emit('schemaChanged', { collectionId: null });
    },
    async refresh() {
      if (await registry.refresh?.()) events.emit('schemaChanged', { collectionId: null });
    },
    async bootstrapSystemCollections() {
      const created: string[] = [];
      await engine.transaction((tx) => runSteps(bootstrap(created), tx));
      announce(created);
    },
    bootstrapSystemCollectionsSync() {
      const { db } = deps;
      if (!db) throw new Error('bootstrapSystemCollectionsSync needs the synchronous SqlDb (SQLite)');
      const created: string[] = [];
      db.transaction(() => runStepsSync(bootstrap(created), db));
      announce(created);
    },
  };
}
