/**
 * Runs the DDL of a collection change inside the caller's transaction: create, update (fields,
 * rename, indexes, view query) and drop. SQLite's ALTER TABLE re-checks every view, so other views
 * are dropped around table alterations and rebuilt after; DROP/CREATE VIEW and DROP TABLE are
 * lazy, so after them the other views are only checked. A view the change would break makes the
 * whole change fail with a 400, leaving the database as it was. On Postgres (its ALTER TABLE
 * changes columns in place) the table is altered where it stands; views are detached the same way,
 * since Postgres refuses to drop or change a column a view uses. Steps (db/steps.ts).
 */
import { steps, type Steps } from '../../db/index.ts';
import type { Dialect } from '../../shared/dialect/index.ts';
import { alterTableInPlace } from './alter-table-engine.ts';
import { quoteIdent } from '../../db/sql.ts';
import { fieldError } from '../../shared/errors.ts';
import type { Catalog } from '../catalog.ts';
import { setError, throwIfErrors, type ErrorTree } from '../error-tree.ts';
import type { Collection } from '../model.ts';
import { alterTable, columnsChanged } from './alter-table.ts';
import { createIndexes, dropIndexByDefinition, dropTableIndexes } from './apply-indexes.ts';
import { syncRelationIndexes } from './relation-indexes.ts';
import { createTableSql } from './table-sql.ts';
import { createView, errorText, inferViewFields, renameTableInQuery } from './view-sql.ts';
import { updateCollectionRow } from '../store.ts';

export interface SchemaContext {
  dialect: Dialect;
  /** The collections as they are before this change (views to rebuild, sources for view fields). */
  catalog: Catalog;
  failMessage: string;
}

function fail(ctx: SchemaContext, path: (string | number)[], code: string, message: string): never {
  const errors: ErrorTree = {};
  setError(errors, path, fieldError(code, message));
  throwIfErrors(errors, ctx.failMessage);
  throw new Error('unreachable');
}

function* buildView(ctx: SchemaContext, collection: Collection, previous: Collection | undefined): Steps<Collection> {
  const query = collection.viewQuery ?? '';
  const err = yield* createView(ctx.dialect, collection.name, query, ctx.catalog);
  if (err) fail(ctx, ['viewQuery'], err.code, err.message);
  const inferred = yield* inferViewFields(collection.name, query, ctx.catalog, previous?.fields ?? []);
  if ('error' in inferred) fail(ctx, ['viewQuery'], inferred.error.code, inferred.error.message);
  return { ...collection, fields: inferred.fields };
}

/**
 * Drops a view. On Postgres a view other views select from cannot be dropped alone: CASCADE drops
 * them too — used only where every other view is detached (dropped and rebuilt) around the change.
 */
const dropViewSql = (dialect: Dialect, name: string): string =>
  `DROP VIEW IF EXISTS ${quoteIdent(name)}${dialect.name === 'postgres' ? ' CASCADE' : ''}`;

const otherViews = (ctx: SchemaContext, exceptId: string) =>
  ctx.catalog.all().filter((c) => c.type === 'view' && c.id !== exceptId);

const breaks = (ctx: SchemaContext, errorKey: string, view: Collection, why: string): never =>
  fail(ctx, [errorKey], 'validation_view_dependency', `The change would break the view collection "${view.name}": ${why}`);

/** Every other view must still resolve after a change. */
function* checkOtherViews(ctx: SchemaContext, exceptId: string, errorKey: string): Steps<void> {
  for (const view of otherViews(ctx, exceptId)) {
    try {
      yield* steps.columnsOf(`SELECT * FROM ${quoteIdent(view.name)}`);
    } catch (err) {
      breaks(ctx, errorKey, view, errorText(err));
    }
  }
}

/**
 * Drops all other views, runs fn, then recreates them (in dependency order, by retrying). With
 * `rename`, views that select from the renamed table get their query rewritten and stored.
 */
function* withViewsDetached<T>(ctx: SchemaContext, exceptId: string, errorKey: string, fn: () => Steps<T>, rename?: { from: string; to: string }): Steps<T> {
  const views: Collection[] = [];
  for (const view of otherViews(ctx, exceptId)) {
    const query = rename ? renameTableInQuery(view.viewQuery ?? '', rename.from, rename.to) : view.viewQuery;
    if (query === view.viewQuery) {
      views.push(view);
      continue;
    }
    const changed = { ...view, viewQuery: query };
    yield* updateCollectionRow(ctx.dialect, changed);
    views.push(changed);
  }
  for (const view of views) yield* steps.exec(dropViewSql(ctx.dialect, view.name));
  const result = yield* fn();
  let pending = views;
  while (pending.length > 0) {
    const failed: Collection[] = [];
    for (const view of pending) if ((yield* createView(ctx.dialect, view.name, view.viewQuery ?? '', ctx.catalog)) !== undefined) failed.push(view);
    if (failed.length === pending.length) {
      const view = failed[0]!;
      const why = (yield* createView(ctx.dialect, view.name, view.viewQuery ?? '', ctx.catalog))?.message.replace(/^Invalid query - /, '') ?? '';
      breaks(ctx, errorKey, view, why);
    }
    pending = failed;
  }
  return result;
}

export function* createSchema(ctx: SchemaContext, collection: Collection): Steps<Collection> {
  if (collection.type === 'view') return yield* buildView(ctx, collection, undefined);
  const { dialect } = ctx;
  // SQLite's DDL comes from the field types; Postgres's from the dialect's type mapping.
  yield* steps.exec(createTableSql(collection.name, collection.fields, dialect.name === 'sqlite' ? undefined : dialect));
  const errors: ErrorTree = {};
  yield* createIndexes(dialect, collection.name, collection.fields.map((f) => f.name), collection.indexes, undefined, errors);
  throwIfErrors(errors, ctx.failMessage);
  yield* syncRelationIndexes(dialect, collection);
  return collection;
}

export function* updateSchema(ctx: SchemaContext, before: Collection, after: Collection): Steps<Collection> {
  const { dialect } = ctx;
  if (after.type === 'view') {
    if (before.name === after.name && before.viewQuery === after.viewQuery) return after;
    if (before.name !== after.name) {
      // Views that select from this one follow the rename.
      const rebuild = function* () {
        yield* steps.exec(dropViewSql(dialect, before.name));
        return yield* buildView(ctx, after, before);
      };
      return yield* withViewsDetached(ctx, after.id, 'viewQuery', rebuild, { from: before.name, to: after.name });
    }
    if (dialect.name === 'postgres') {
      // Postgres keeps views bound to what they select from: the views on this one are rebuilt after it.
      return yield* withViewsDetached(ctx, after.id, 'viewQuery', function* () {
        yield* steps.exec(dropViewSql(dialect, before.name));
        return yield* buildView(ctx, after, before);
      });
    }
    yield* steps.exec(`DROP VIEW IF EXISTS ${quoteIdent(before.name)}`);
    const built = yield* buildView(ctx, after, before);
    yield* checkOtherViews(ctx, after.id, 'viewQuery');
    return built;
  }
  const errors: ErrorTree = {};
  if (before.name === after.name && !columnsChanged(before, after)) {
    for (const sql of before.indexes) if (!after.indexes.includes(sql)) yield* dropIndexByDefinition(sql);
    const added = new Set(after.indexes.filter((sql) => !before.indexes.includes(sql)));
    if (added.size > 0) yield* createIndexes(dialect, after.name, after.fields.map((f) => f.name), after.indexes, added, errors);
    throwIfErrors(errors, ctx.failMessage);
    yield* syncRelationIndexes(dialect, after);
    return after;
  }
  yield* withViewsDetached(ctx, after.id, 'fields', function* () {
    yield* dropTableIndexes(dialect, before.name);
    if (dialect.alterColumnType) yield* alterTableInPlace(dialect, before, after, ctx.failMessage);
    else yield* alterTable(before, after, ctx.failMessage);
    yield* createIndexes(dialect, after.name, after.fields.map((f) => f.name), after.indexes, undefined, errors);
    throwIfErrors(errors, ctx.failMessage);
    yield* syncRelationIndexes(dialect, after);
  }, before.name !== after.name ? { from: before.name, to: after.name } : undefined);
  return after;
}

export function* dropSchema(ctx: SchemaContext, collection: Collection): Steps<void> {
  const kind = collection.type === 'view' ? 'VIEW' : 'TABLE';
  const drop = `DROP ${kind} IF EXISTS ${quoteIdent(collection.name)}`;
  if (ctx.dialect.name === 'postgres') {
    // Postgres refuses to drop what a view selects from: the other views are rebuilt after the drop,
    // and one that no longer resolves refuses the change (400) as SQLite's check does.
    yield* withViewsDetached(ctx, collection.id, 'id', function* () {
      yield* steps.exec(drop);
    });
    return;
  }
  yield* steps.exec(drop);
  yield* checkOtherViews(ctx, collection.id, 'id');
}
