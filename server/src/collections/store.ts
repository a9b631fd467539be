/**
 * Reads and writes `_collections` rows. Fields, indexes and options are JSON text; options hold
 * the auth options (with tokenSecret) for auth collections and `{viewQuery}` for views. Every
 * write bumps the shared schema version, so other processes' registries see it. Written as steps
 * (db/steps.ts): run on the engine, or synchronously on SQLite's `SqlDb`.
 */
import { bumpSchemaVersionSteps, steps, type Steps } from '../db/index.ts';
import type { Dialect } from '../shared/dialect/index.ts';
import type { AuthOptions, Collection, CollectionType } from './model.ts';

interface CollectionRow {
  id: string;
  name: string;
  type: string;
  system: number;
  fields: string;
  indexes: string;
  listRule: string | null;
  viewRule: string | null;
  createRule: string | null;
  updateRule: string | null;
  deleteRule: string | null;
  options: string;
  created: string;
  updated: string;
}

const COLUMNS = [
  'id', 'name', 'type', 'system', 'fields', 'indexes', 'listRule', 'viewRule', 'createRule', 'updateRule', 'deleteRule',
  'options', 'created', 'updated',
] as const;

export function rowToCollection(row: CollectionRow): Collection {
  const options = JSON.parse(row.options || '{}') as Record<string, unknown>;
  const collection: Collection = {
    id: row.id,
    name: row.name,
    type: row.type as CollectionType,
    system: row.system === 1,
    fields: JSON.parse(row.fields || '[]'),
    indexes: JSON.parse(row.indexes || '[]'),
    listRule: row.listRule,
    viewRule: row.viewRule,
    createRule: row.createRule,
    updateRule: row.updateRule,
    deleteRule: row.deleteRule,
    created: row.created,
    updated: row.updated,
  };
  if (collection.type === 'view') collection.viewQuery = typeof options.viewQuery === 'string' ? options.viewQuery : '';
  if (collection.type === 'auth') collection.auth = options as AuthOptions;
  return collection;
}

function toRow(c: Collection): unknown[] {
  const options = c.type === 'auth' ? (c.auth ?? {}) : c.type === 'view' ? { viewQuery: c.viewQuery ?? '' } : {};
  const row: Record<(typeof COLUMNS)[number], unknown> = {
    ...c,
    system: c.system ? 1 : 0,
    fields: JSON.stringify(c.fields),
    indexes: JSON.stringify(c.indexes),
    options: JSON.stringify(options),
  };
  return COLUMNS.map((k) => row[k]);
}

/** Postgres tables have no rowid: `_collections` keeps insertion order by `created`, then id. */
const ORDER = (dialect: Dialect) => (dialect.name === 'postgres' ? '"created", "id"' : 'rowid');

export function* loadCollectionRows(dialect: Dialect): Steps<Collection[]> {
  return (yield* steps.all<CollectionRow>(`SELECT * FROM "_collections" ORDER BY ${ORDER(dialect)}`)).map(rowToCollection);
}

export function* insertCollectionRow(dialect: Dialect, c: Collection): Steps<void> {
  const cols = COLUMNS.map((k) => `"${k}"`).join(', ');
  yield* steps.run(`INSERT INTO "_collections" (${cols}) VALUES (${COLUMNS.map(() => '?').join(', ')})`, toRow(c));
  yield* bumpSchemaVersionSteps(dialect);
}

export function* updateCollectionRow(dialect: Dialect, c: Collection): Steps<void> {
  const values = toRow(c);
  const sets = COLUMNS.slice(1).map((k) => `"${k}" = ?`).join(', ');
  yield* steps.run(`UPDATE "_collections" SET ${sets} WHERE "id" = ?`, [...values.slice(1), c.id]);
  yield* bumpSchemaVersionSteps(dialect);
}

export function* deleteCollectionRow(dialect: Dialect, id: string): Steps<void> {
  yield* steps.run('DELETE FROM "_collections" WHERE "id" = ?', [id]);
  yield* bumpSchemaVersionSteps(dialect);
}
