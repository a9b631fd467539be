/**
 * The dry run of a view query (`POST /api/collections/meta/dry-run-view`): the fields the view
 * would get and a few of its rows, computed inside a transaction that is always rolled back, so
 * nothing is created. Only a single SELECT passes (the view query's own shape check).
 */
import { runSteps, steps, type SqlEngine, type Steps } from '../db/index.ts';
import type { Dialect } from '../shared/dialect/index.ts';
import { quoteIdent } from '../db/sql.ts';
import { badRequest, fieldError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { Catalog } from './catalog.ts';
import { checkViewQueryShape, createView, errorText, inferViewFields } from './ddl/view-sql.ts';
import type { Collection } from './model.ts';

/** The longest query a dry run accepts (PocketBase's limit; saved views allow more). */
export const MAX_DRY_RUN_QUERY_LENGTH = 5000;
/** Rows returned as the sample. */
export const DRY_RUN_SAMPLE_SIZE = 10;

export interface DryRunResult {
  /** A view collection (not saved) with the inferred fields. */
  collection: Collection;
  rows: Record<string, unknown>[];
}

/** Carries a dry run's result out of its transaction, rolling the transaction back. */
export class DryRunDone extends Error {
  readonly result: DryRunResult;
  constructor(result: DryRunResult) {
    super('dry run done');
    this.result = result;
  }
}

const invalid = (why: string) => badRequest(`Invalid view query. Raw error: ${why}`);

/**
 * Steps for the caller's transaction, which must roll back after them (they create a view):
 * the result comes back inside `DryRunDone`, thrown, so no runner can commit the view.
 */
export function* dryRunView(dialect: Dialect, catalog: Catalog, query: unknown): Steps<never> {
  if (typeof query !== 'string' || query.trim() === '') {
    throw badRequest('Failed to dry-run the view query.', { query: fieldError('validation_required', 'Missing required value.') });
  }
  if (query.length > MAX_DRY_RUN_QUERY_LENGTH) {
    throw badRequest('Failed to dry-run the view query.', {
      query: fieldError('validation_length_out_of_range', `The length must be at most ${MAX_DRY_RUN_QUERY_LENGTH}.`),
    });
  }
  const shape = checkViewQueryShape(query);
  if (shape) throw invalid(shape.message);
  const name = `_dry_run_${newId(10, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
  const created = yield* createView(dialect, name, query, catalog);
  if (created) throw invalid(created.message);
  const inferred = yield* inferViewFields(name, query, catalog, []);
  if ('error' in inferred) throw invalid(inferred.error.message);
  let rows: Record<string, unknown>[];
  try {
    rows = yield* steps.all(`SELECT * FROM ${quoteIdent(name)} LIMIT ${DRY_RUN_SAMPLE_SIZE}`);
  } catch (err) {
    throw invalid(errorText(err));
  }
  const ids = new Set<string>();
  for (const row of rows) {
    const id = row.id === null || row.id === undefined ? '' : String(row.id);
    if (id === '') throw invalid('the query could return rows with an empty id.');
    if (ids.has(id)) throw invalid('the query could return rows with duplicated ids.');
    ids.add(id);
  }
  const collection: Collection = {
    id: '',
    name,
    type: 'view',
    system: false,
    fields: inferred.fields,
    indexes: [],
    listRule: null,
    viewRule: null,
    createRule: null,
    updateRule: null,
    deleteRule: null,
    viewQuery: query,
    created: '',
    updated: '',
  };
  throw new DryRunDone({ collection, rows });
}

/** Runs a dry run in a transaction of its own, always rolled back. */
export async function dryRunViewOn(engine: SqlEngine, catalog: Catalog, query: unknown): Promise<DryRunResult> {
  try {
    await engine.transaction((tx) => runSteps(dryRunView(engine.dialect, catalog, query), tx));
  } catch (err) {
    if (err instanceof DryRunDone) return err.result;
    throw err;
  }
  throw new Error('unreachable: a dry run always ends by throwing');
}
