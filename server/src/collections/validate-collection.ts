/**
 * Builds the next state of a collection from a parsed request (create, or a partial update of
 * `original`) and validates it statically: name, type, id, fields, indexes, rules, auth options
 * and the view query's shape. Throws a 400 with PocketBase's nested `data`. No I/O except one
 * look-up of internal table names; rules and view queries are checked against SQLite later.
 */
import type { DbObjects } from './ddl/db-objects.ts';
import { now } from '../shared/clock.ts';
import { fieldError } from '../shared/errors.ts';
import { newCollectionId } from '../shared/ids.ts';
import type { Catalog } from './catalog.ts';
import { setError, throwIfErrors, type ErrorTree } from './error-tree.ts';
import { COLLECTION_NAME_PATTERN, type AuthOptions, type Collection, type RuleName } from './model.ts';
import { parseFields } from './parse-fields.ts';
import { isReservedCollectionName } from './reserved-names.ts';
import { defaultAuthOptions, withSystemFields } from './system-fields.ts';
import { checkViewQueryShape } from './ddl/view-sql.ts';
import { planIndexes, validateIdentityFields, validateIndexes } from './validate-indexes.ts';
import { validateFields } from './validate-fields.ts';
import type { CollectionInput } from './wire.ts';

/** PocketBase's limits on collection names and ids. */
const MAX_NAME_LENGTH = 255;
const MAX_ID_LENGTH = 100;
export const BASE_RULES = ['listRule', 'viewRule', 'createRule', 'updateRule', 'deleteRule'] as const;

export interface BuildContext {
  catalog: Catalog;
  /** The database's own tables, views and indexes (read before the build: it runs in one turn). */
  objects: DbObjects;
  /** The collection being updated; absent on create. */
  original?: Collection;
  /** Collections created in the same operation (import): valid relation targets. */
  pendingIds?: ReadonlySet<string>;
  failMessage: string;
}

function checkName(name: string, system: boolean, ctx: BuildContext, id: string, errors: ErrorTree): void {
  const err = (code: string, message: string) => setError(errors, ['name'], fieldError(code, message));
  if (name === '') return err('validation_required', 'Missing required value.');
  if (name.length > MAX_NAME_LENGTH) return err('validation_length_out_of_range', `Must be at most ${MAX_NAME_LENGTH} characters.`);
  if (!COLLECTION_NAME_PATTERN.test(name)) return err('validation_match_invalid', 'Must contain only letters, digits and underscores, not starting with a digit.');
  if (name.toLowerCase().includes('_via_')) return err('validation_found_via', 'The value cannot contain "_via_".');
  if (name.startsWith('_') && !system) return err('validation_collection_name_invalid', 'Only system collections may start with "_".');
  if (isReservedCollectionName(name)) return err('validation_collection_name_invalid', 'Names starting with sqlite_ are reserved by SQLite.');
  const { original } = ctx;
  if (original?.system && original.name !== name) return err('validation_collection_system_name_change', 'System collection name cannot be changed.');
  const other = ctx.catalog.all().find((c) => c.id !== id && c.name.toLowerCase() === name.toLowerCase());
  if (other) return err('validation_collection_name_exists', 'Collection name must be unique (case insensitive).');
  if (ctx.catalog.all().some((c) => c.id !== id && c.id.toLowerCase() === name.toLowerCase())) {
    return err('validation_collection_name_id_duplicate', 'The name must not match an existing collection id.');
  }
  if (original?.name.toLowerCase() !== name.toLowerCase()) {
    if (ctx.objects.names.has(name.toLowerCase())) return err('validation_collection_name_invalid', "The name shouldn't match with an existing internal table.");
  }
}

function checkId(id: string, ctx: BuildContext, errors: ErrorTree): void {
  if (ctx.original) return;
  const err = (message: string) => setError(errors, ['id'], fieldError('validation_invalid_or_existing_id', message));
  if (id.length === 0 || id.length > MAX_ID_LENGTH || !/^\w+$/.test(id)) return err('The id must be 1-100 letters, digits or underscores.');
  if (ctx.catalog.all().some((c) => c.id === id || c.name.toLowerCase() === id.toLowerCase())) err('The model id is invalid or already exists.');
}

function mergeAuth(original: AuthOptions | undefined, sent: Partial<AuthOptions>): AuthOptions {
  const out: Record<string, unknown> = structuredClone(original ?? defaultAuthOptions());
  for (const [key, value] of Object.entries(sent)) {
    const prev = out[key];
    const isObj = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
    out[key] = isObj(prev) && isObj(value) ? { ...(prev as object), ...(value as object) } : value;
  }
  return out as AuthOptions;
}

function resolveRules(input: CollectionInput, original: Collection | undefined, errors: ErrorTree) {
  const pick = (r: RuleName, fallback: string | null) => {
    const sent = (input as unknown as Record<string, string | null | undefined>)[r];
    const before = (original as unknown as Record<string, string | null | undefined> | undefined)?.[r];
    const value = sent !== undefined ? sent : before !== undefined ? before : fallback;
    if (original?.system && before !== undefined && value !== before) {
      setError(errors, [r], fieldError('validation_collection_system_rule_change', 'System collection API rule cannot be changed.'));
    }
    return value;
  };
  return Object.fromEntries(BASE_RULES.map((r) => [r, pick(r, null)])) as Record<(typeof BASE_RULES)[number], string | null>;
}

export function buildCollection(input: CollectionInput, ctx: BuildContext): Collection {
  const { original } = ctx;
  const errors: ErrorTree = {};
  const type = original?.type ?? input.type ?? 'base';
  if (original && input.type && input.type !== original.type) {
    setError(errors, ['type'], fieldError('validation_collection_type_change', 'Collection type cannot be changed.'));
  }
  if (original && input.id !== undefined && input.id !== original.id) {
    setError(errors, ['id'], fieldError('validation_values_mismatch', 'The collection id cannot be changed.'));
  }
  if (original && input.system !== undefined && input.system !== original.system) {
    setError(errors, ['system'], fieldError('validation_collection_system_flag_change', 'System collection state cannot be changed.'));
  }
  const id = original?.id ?? input.id ?? newCollectionId();
  const system = original?.system ?? input.system ?? false;
  const name = input.name ?? original?.name ?? '';
  checkId(id, ctx, errors);
  checkName(name, system, ctx, id, errors);

  const previous = original?.fields ?? [];
  let fields = type === 'view' ? structuredClone(previous) : parseFields(input.fields ?? structuredClone(previous), previous, errors);
  throwIfErrors(errors, ctx.failMessage);
  if (type !== 'view') {
    fields = withSystemFields(type, fields, previous);
    validateFields(fields, { type, collectionId: id, catalog: ctx.catalog, pendingIds: ctx.pendingIds ?? new Set(), previous, system }, errors);
  }

  const indexes = planIndexes({ sent: input.indexes, original, id, name, type, fields });
  const ownTables = [name, original?.name ?? name].map((t) => t.toLowerCase());
  const otherIndexNames = new Set(
    ctx.objects.indexes
      .filter((i) => !ownTables.includes(i.table.toLowerCase()))
      .map((i) => i.name.toLowerCase())
      .filter((n) => !n.startsWith('sqlite_')),
  );
  validateIndexes(indexes, name, type, fields, errors, otherIndexNames);

  const rules = resolveRules(input, original, errors);
  const collection: Collection = { id, name, type, system, fields, indexes, ...rules, created: original?.created ?? now(), updated: now() };

  if (type === 'view') {
    for (const r of ['createRule', 'updateRule', 'deleteRule'] as const) {
      if (rules[r] !== null) setError(errors, [r], fieldError('validation_nil_invalid', 'View collections are read-only: the rule must be null.'));
    }
    collection.viewQuery = input.viewQuery ?? original?.viewQuery ?? '';
    const bad = checkViewQueryShape(collection.viewQuery);
    if (bad) setError(errors, ['viewQuery'], bad);
  }
  if (type === 'auth') {
    const auth = mergeAuth(original?.auth, input.auth);
    if (original?.system && input.auth.authRule !== undefined && input.auth.authRule !== original.auth?.authRule) {
      setError(errors, ['authRule'], fieldError('validation_collection_system_rule_change', 'System collection API rule cannot be changed.'));
    }
    validateIdentityFields(auth.passwordAuth?.identityFields ?? [], fields, indexes, errors);
    collection.auth = auth;
  }
  throwIfErrors(errors, ctx.failMessage);
  return collection;
}
