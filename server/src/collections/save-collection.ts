/**
 * The one write path of a collection definition, shared by create, update, import and bootstrap:
 * build + validate the next state, run its DDL, check its rules against the final fields, write
 * the `_collections` row. Steps (db/steps.ts) for the caller's transaction; throws leave nothing behind.
 */
import type { Steps } from '../db/index.ts';
import type { Dialect } from '../shared/dialect/index.ts';
import { readDbObjects } from './ddl/db-objects.ts';
import { fieldError } from '../shared/errors.ts';
import type { Catalog } from './catalog.ts';
import { createSchema, updateSchema } from './ddl/apply-schema.ts';
import { setError, throwIfErrors, type ErrorTree } from './error-tree.ts';
import type { Collection, RuleName } from './model.ts';
import { insertCollectionRow, updateCollectionRow } from './store.ts';
import { BASE_RULES, buildCollection } from './validate-collection.ts';
import type { CollectionInput } from './wire.ts';

/**
 * Checks one rule against the collection's final schema; throws (any error) when it is invalid.
 * rules/ provides it; the default accepts every rule.
 */
export type RuleValidator = (collection: Collection, ruleName: RuleName, ruleText: string, catalog?: Catalog) => void;

export interface SaveDeps {
  dialect: Dialect;
  validateRule: RuleValidator;
}

export interface SaveRequest {
  input: CollectionInput;
  original?: Collection;
  catalog: Catalog;
  pendingIds?: ReadonlySet<string>;
  failMessage: string;
  /** Skip the rule check (an import checks every rule once all its collections exist). */
  deferRules?: boolean;
}

/** PocketBase's error text for a rule that does not compile. */
function ruleError(err: unknown) {
  const message = err instanceof Error ? err.message : String(err);
  return fieldError('validation_invalid_rule', `Invalid rule. Raw error: ${message}`);
}

/** Checks every rule of `collection`; `catalog` resolves the other collections a rule names. */
export function checkRules(collection: Collection, validateRule: RuleValidator, failMessage: string, catalog?: Catalog): void {
  const errors: ErrorTree = {};
  const rules: [RuleName, string | null | undefined][] = BASE_RULES.map((r) => [r, collection[r]]);
  if (collection.type === 'auth') {
    rules.push(['authRule', collection.auth?.authRule], ['manageRule', collection.auth?.manageRule]);
  }
  for (const [name, text] of rules) {
    if (text === null || text === undefined || text.trim() === '') continue;
    try {
      validateRule(collection, name, text, catalog);
    } catch (err) {
      setError(errors, [name], ruleError(err));
    }
  }
  throwIfErrors(errors, failMessage);
}

export function* saveCollection(deps: SaveDeps, req: SaveRequest): Steps<Collection> {
  const { dialect } = deps;
  const candidate = buildCollection(req.input, {
    catalog: req.catalog,
    objects: yield* readDbObjects(dialect),
    original: req.original,
    pendingIds: req.pendingIds,
    failMessage: req.failMessage,
  });
  const schemaCtx = { dialect, catalog: req.catalog, failMessage: req.failMessage };
  const saved = req.original ? yield* updateSchema(schemaCtx, req.original, candidate) : yield* createSchema(schemaCtx, candidate);
  if (!req.deferRules) checkRules(saved, deps.validateRule, req.failMessage, req.catalog);
  if (req.original) yield* updateCollectionRow(dialect, saved);
  else yield* insertCollectionRow(dialect, saved);
  return saved;
}
