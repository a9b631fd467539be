/**
 * How large a record write's body may be, as PocketBase computes it: a base of 32 MiB plus what
 * the collection's fields may carry — each file field `maxSize × maxSelect`, each json and editor
 * field its `maxSize` (or that type's default). Other requests keep the server's body limit.
 */
import type { Collection, Field } from '../collections/model.ts';
import { DEFAULT_EDITOR_MAX_SIZE } from '../collections/fields/editor.ts';
import { DEFAULT_JSON_MAX_SIZE } from '../collections/fields/json.ts';
import { fileMaxSize } from './record-files.ts';

/** PocketBase's DefaultMaxBodySize: the part of a record write's limit that no field accounts for. */
export const RECORD_BODY_BASE = 32 * 1024 * 1024;

const sizeOr = (field: Field, fallback: number): number => (Number(field.maxSize) > 0 ? Number(field.maxSize) : fallback);

/** Bytes one field's value may add to a write's body (0 for types without a size bound). */
function fieldAllowance(field: Field): number {
  if (field.type === 'file') return fileMaxSize(field) * Math.max(1, Number(field.maxSelect) || 1);
  if (field.type === 'json') return sizeOr(field, DEFAULT_JSON_MAX_SIZE);
  if (field.type === 'editor') return sizeOr(field, DEFAULT_EDITOR_MAX_SIZE);
  return 0;
}

/** The most bytes a create/update body of `collection` may add to the base (views: none). */
export function recordBodyAllowance(collection: Collection): number {
  if (collection.type === 'view') return 0;
  let total = 0;
  for (const f of collection.fields) total += fieldAllowance(f);
  return total;
}
