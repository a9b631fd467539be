/**
 * Runs the DDL of a collection change inside the caller's transaction: create, update (fields,
 * rename, indexes, view query) and drop. SQLite's ALTER TABLE re-checks every view, so other views
 * are dropped around table alterations and rebuilt after; DROP/CREATE VIEW and DROP TABLE are
 * lazy, so after them the other views are only checked. A view the change would break makes the
 * whole change fail with a 400, leaving the database as it was.
 */
import type { SqlDb } from '../../db/index.ts';
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
  db: SqlDb;
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

function buildView(ctx: SchemaContext, collection: Collection, previous: Collection | undefined): Collection {
  const query = collection.viewQuery ?? '';
  const err = createView(ctx.db, collection.name, query);
  if (err) fail(ctx, ['viewQuery'], err.code, err.message);
  const inferred = inferViewFields(ctx.db, collection.name, query, ctx.catalog, previous?.fields ?? []);
  if ('error' in inferred) fail(ctx, ['viewQuery'], inferred.error.code, inferred.error.message);
  return { ...collection, fields: inferred.fields };
}

const otherViews = (ctx: SchemaContext, exceptId: string) =>
  ctx.catalog.all().filter((c) => c.type === 'view' && c.id !== exceptId);

const breaks = (ctx: SchemaContext, errorKey: string, view: Collection, why: string): never =>
  fail(ctx, [errorKey], 'validation_view_dependency', `The change would break the view collection "${view.name}": ${why}`);

/** Every other view must still resolve after a change. */
function checkOtherViews(ctx: SchemaContext, exceptId: string, errorKey: string): void {
  for (const view of otherViews(ctx, exceptId)) {
    try {
      ctx.db.columnsOf(`SELECT * FROM ${quoteIdent(view.name)}`);
    } catch (err) {
      breaks(ctx, errorKey, view, errorText(err));
    }
  }
}

/**
 * Drops all other views, runs fn, then recreates them (in dependency order, by retrying). With
 * `rename`, views that select from the renamed table get their query rewritten and stored.
 */
function withViewsDetached<T>(ctx: SchemaContext, exceptId: string, errorKey: string, fn: () => T, rename?: { from: string; to: string }): T {
  const views = otherViews(ctx, exceptId).map((view) => {
    if (!rename) return view;
    const query = renameTableInQuery(view.viewQuery ?? '', rename.from, rename.to);
    if (query === view.viewQuery) return view;
    const changed = { ...view, viewQuery: query };
    updateCollectionRow(ctx.db, changed);
    return changed;
  });
  for (const view of views) ctx.db.exec(`DROP VIEW IF EXISTS ${quoteIdent(view.name)}`);
  const result = fn();
  let pending = views;
  while (pending.length > 0) {
    const failed = pending.filter((view) => createView(ctx.db, view.name, view.viewQuery ?? '') !== undefined);
    if (failed.length === pending.length) {
      const view = failed[0]!;
      const why = createView(ctx.db, view.name, view.viewQuery ?? '')?.message.replace(/^Invalid query - /, '') ?? '';
      breaks(ctx, errorKey, view, why);
    }
    pending = failed;
  }
  return result;
}

export function createSchema(ctx: SchemaContext, collection: Collection): Collection {
  if (collection.type === 'view') return buildView(ctx, collection, undefined);
  ctx.db.exec(createTableSql(collection.name, collection.fields));
  const errors: ErrorTree = {};
  createIndexes(ctx.db, collection.name, collection.indexes, undefined, errors);
  throwIfErrors(errors, ctx.failMessage);
  syncRelationIndexes(ctx.db, collection);
  return collection;
}

export function updateSchema(ctx: SchemaContext, before: Collection, after: Collection): Collection {
  const { db } = ctx;
  if (after.type === 'view') {
    if (before.name === after.name && before.viewQuery === after.viewQuery) return after;
    if (before.name !== after.name) {
      // Views that select from this one follow the rename.
      const rebuild = () => {
        db.exec(`DROP VIEW IF EXISTS ${quoteIdent(before.name)}`);
        return buildView(ctx, after, before);
      };
      return withViewsDetached(ctx, after.id, 'viewQuery', rebuild, { from: before.name, to: after.name });
    }
    db.exec(`DROP VIEW IF EXISTS ${quoteIdent(before.name)}`);
    const built = buildView(ctx, after, before);
    checkOtherViews(ctx, after.id, 'viewQuery');
    return built;
  }
  const errors: ErrorTree = {};
  if (before.name === after.name && !columnsChanged(before, after)) {
    for (const sql of before.indexes) if (!after.indexes.includes(sql)) dropIndexByDefinition(db, sql);
    const added = new Set(after.indexes.filter((sql) => !before.indexes.includes(sql)));
    if (added.size > 0) createIndexes(db, after.name, after.indexes, added, errors);
    throwIfErrors(errors, ctx.failMessage);
    syncRelationIndexes(db, after);
    return after;
  }
  withViewsDetached(ctx, after.id, 'fields', () => {
    dropTableIndexes(db, before.name);
    alterTable(db, before, after, ctx.failMessage);
    createIndexes(db, after.name, after.indexes, undefined, errors);
    throwIfErrors(errors, ctx.failMessage);
    syncRelationIndexes(db, after);
  }, before.name !== after.name ? { from: before.name, to: after.name } : undefined);
  return after;
}

export function dropSchema(ctx: SchemaContext, collection: Collection): void {
  const kind = collection.type === 'view' ? 'VIEW' : 'TABLE';
  ctx.db.exec(`DROP ${kind} IF EXISTS ${quoteIdent(collection.name)}`);
  checkOtherViews(ctx, collection.id, 'id');
}
