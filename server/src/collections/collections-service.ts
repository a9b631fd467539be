/**
 * The collections admin service: list/get/create/update/delete/truncate/import and the bootstrap
 * of built-in collections. Every change runs in one transaction, then reloads the registry and
 * emits `schemaChanged`.
 */
import type { SqlDb } from '../db/index.ts';
import type { EventBus } from '../shared/events.ts';
import { authSystemCollectionInputs, parkLegacyTable, restoreLegacyRows } from './auth-system-collections.ts';
import { SUPERUSERS_INPUT, USERS_INPUT } from './bootstrap.ts';
import { syncAllRelationIndexes } from './ddl/relation-indexes.ts';
import { deleteCollection, truncateCollection } from './delete-collection.ts';
import { importCollections } from './import-collections.ts';
import type { Collection } from './model.ts';
import type { CollectionRegistry } from './registry.ts';
import { saveCollection, type RuleValidator, type SaveDeps } from './save-collection.ts';
import { parseCollectionInput } from './wire.ts';

export interface CollectionsServiceDeps {
  db: SqlDb;
  registry: CollectionRegistry;
  events: EventBus;
  /** Checks a rule's syntax against the collection; throws when invalid. Default: accepts all. */
  validateRule?: RuleValidator;
}

export interface CollectionsService {
  list(): Collection[];
  get(nameOrId: string): Collection;
  create(input: unknown): Collection;
  /** Partial update: only the keys sent change (`fields`, when sent, is the whole new list). */
  update(nameOrId: string, input: unknown): Collection;
  delete(nameOrId: string): void;
  truncate(nameOrId: string): void;
  importCollections(list: unknown[], deleteMissing: boolean): void;
  bootstrapSystemCollections(): void;
  /** Sees schema changes made by other processes (the CLI, a second server); cheap per request. */
  refreshIfStale(): void;
}

export function createCollectionsService(deps: CollectionsServiceDeps): CollectionsService {
  const { db, registry, events } = deps;
  const saveDeps: SaveDeps = { db, validateRule: deps.validateRule ?? (() => {}) };

  const changed = (collectionId: string | null) => {
    registry.reload();
    events.emit('schemaChanged', { collectionId });
  };

  const create = (input: unknown, failMessage = 'Failed to create collection.'): Collection => {
    const parsed = parseCollectionInput(input, failMessage);
    const saved = db.transaction(() => saveCollection(saveDeps, { input: parsed, catalog: registry, failMessage }));
    changed(saved.id);
    return registry.get(saved.id);
  };

  /** users is created bare, then given its own fields, so they follow the auth fields (PocketBase's order). */
  const createUsers = () => {
    const fail = 'Failed to create the users collection.';
    const { fields, ...bare } = USERS_INPUT;
    const users = create({ ...bare, fields: [] }, fail);
    const autodates = users.fields.filter((f) => f.type === 'autodate');
    const input = parseCollectionInput({ fields: [...users.fields.filter((f) => f.type !== 'autodate'), ...fields, ...autodates] }, fail);
    db.transaction(() => saveCollection(saveDeps, { input, original: users, catalog: registry, failMessage: fail }));
    changed(users.id);
  };

  return {
    list: () => [...registry.all()],
    get: (nameOrId) => registry.get(nameOrId),
    create: (input) => create(input),
    update(nameOrId, input) {
      const original = registry.get(nameOrId);
      const failMessage = 'Failed to update collection.';
      const parsed = parseCollectionInput(input, failMessage);
      db.transaction(() => saveCollection(saveDeps, { input: parsed, original, catalog: registry, failMessage }));
      changed(original.id);
      return registry.get(original.id);
    },
    delete(nameOrId) {
      const collection = registry.get(nameOrId);
      deleteCollection(db, registry, collection);
      changed(collection.id);
    },
    truncate(nameOrId) {
      const collection = registry.get(nameOrId);
      truncateCollection(db, collection);
      changed(collection.id);
    },
    importCollections(list, deleteMissing) {
      importCollections(saveDeps, [...registry.all()], list, deleteMissing);
      changed(null);
    },
    refreshIfStale() {
      if (registry.refreshIfStale?.()) events.emit('schemaChanged', { collectionId: null });
    },
    bootstrapSystemCollections() {
      syncAllRelationIndexes(db, registry.all());
      if (!registry.find(SUPERUSERS_INPUT.name)) {
        create(SUPERUSERS_INPUT, 'Failed to create the _superusers collection.');
        if (!registry.find(USERS_INPUT.name)) createUsers();
      }
      for (const input of authSystemCollectionInputs()) {
        const name = String(input.name);
        if (registry.find(name)) continue;
        db.transaction(() => {
          const parked = parkLegacyTable(db, name);
          create(input, `Failed to create the ${name} collection.`);
          if (parked) restoreLegacyRows(db, parked, name);
        });
      }
    },
  };
}
