/**
 * Automatic indexes on single relation columns. A back-relation (`comments_via_post`) or a
 * cascade looks rows up by the relation column; without an index every lookup scans the table,
 * so one filter over 2,000 posts × 4,000 comments was 8 million row visits per term. Each single
 * relation field gets its own index, created and dropped with the field, named by collection and
 * field id (stable across renames) and kept out of the collection's `indexes` list. A field that
 * a user index already leads with needs none. Multi relations are JSON arrays, which a plain
 * index cannot serve; their look-ups stay scans (see docs/query-language.md).
 */
import { steps, type Steps } from '../../db/index.ts';
import type { Dialect } from '../../shared/dialect/index.ts';
import { indexesOf } from './db-objects.ts';
import { quoteIdent } from '../../db/sql.ts';
import { isMultiValued, type Collection } from '../model.ts';
import { parseIndex } from './index-sql.ts';

export const RELATION_INDEX_PREFIX = '_hearth_rel_';

/** Index names starting with this belong to Hearth; user indexes may not use it. */
const RESERVED_PREFIX = '_hearth_';

const relationIndexName = (collection: Collection, fieldId: string) => `${RELATION_INDEX_PREFIX}${collection.id}_${fieldId}`;

export const isReservedIndexName = (name: string) => name.toLowerCase().startsWith(RESERVED_PREFIX);

/** Lower-cased names of the columns the collection's own indexes start with. */
function leadingColumns(collection: Collection): Set<string> {
  const out = new Set<string>();
  for (const sql of collection.indexes) {
    const parsed = parseIndex(sql);
    const first = parsed?.columns[0]?.name;
    if (first && !parsed.where) out.add(first.toLowerCase());
  }
  return out;
}

/** The automatic indexes a collection should have: name → CREATE INDEX statement. */
export function wantedRelationIndexes(collection: Collection): Map<string, string> {
  const wanted = new Map<string, string>();
  if (collection.type === 'view') return wanted;
  const covered = leadingColumns(collection);
  for (const field of collection.fields) {
    if (field.type !== 'relation' || isMultiValued(field) || covered.has(field.name.toLowerCase())) continue;
    const name = relationIndexName(collection, field.id);
    wanted.set(name, `CREATE INDEX ${quoteIdent(name)} ON ${quoteIdent(collection.name)} (${quoteIdent(field.name)})`);
  }
  return wanted;
}

/** For databases made before automatic indexes existed: brings every collection up to date (in the caller's transaction). */
export function* syncAllRelationIndexes(dialect: Dialect, collections: readonly Collection[]): Steps<void> {
  for (const collection of collections) yield* syncRelationIndexes(dialect, collection);
}

/** Creates the missing automatic indexes of `collection` and drops the ones no field needs. */
export function* syncRelationIndexes(dialect: Dialect, collection: Collection): Steps<void> {
  if (collection.type === 'view') return;
  const wanted = wantedRelationIndexes(collection);
  const existing = (yield* indexesOf(dialect, collection.name)).filter((n) => n.startsWith(RELATION_INDEX_PREFIX));
  for (const name of existing) if (!wanted.has(name)) yield* steps.exec(`DROP INDEX ${quoteIdent(name)}`);
  for (const [name, sql] of wanted) if (!existing.includes(name)) yield* steps.exec(sql);
}
