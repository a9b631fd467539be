/**
 * collections/ — the collection model, field types, definition validation, DDL and schema changes,
 * the in-memory registry and the admin service. Imports db/ and shared/ only.
 * Entry points: createRegistry(source) / openRegistry(source), createCollectionsService(deps),
 * dryRunViewOn(engine, catalog, query), fieldTypeOf(field), toWire(c).
 */
export { createRegistry, openRegistry, type RegistrySource } from './create-registry.ts';
export { dryRunViewOn, type DryRunResult } from './dry-run-view.ts';
export { createCollectionsService, type CollectionsService, type CollectionsServiceDeps } from './collections-service.ts';
export type { RuleValidator } from './save-collection.ts';
export { fieldTypeOf, isClientWritable, isFieldType, FIELD_TYPES, generateFromPattern } from './fields/index.ts';
export type { FieldType, StoredValue, ValueContext, NormalizeResult } from './fields/index.ts';
export { toWire, parseCollectionInput, type CollectionInput } from './wire.ts';
export { SUPERUSERS_ID, USERS_ID } from './bootstrap.ts';
export { uniqueIndexCollation } from './ddl/index-sql.ts';
export { DEFAULT_AUTH_TOKEN_DURATION } from './system-fields.ts';
export type { CollectionRegistry } from './registry.ts';
export * from './model.ts';
