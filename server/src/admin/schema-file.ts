/**
 * Schema as code: the collections as a readable document (`{ collections: [...] }`, each in the
 * wire shape without timestamps), and the same as a TypeScript `defineSchema({...})` module.
 * Ids stay in the file: they are how renames of collections and fields are recognised.
 */
import type { Collection } from '../collections/index.ts';
import { toWire } from '../collections/index.ts';
import { badRequest } from '../shared/errors.ts';

export type SchemaCollection = Record<string, unknown> & { id?: string; name?: string; type?: string; fields?: Record<string, unknown>[] };

export interface SchemaDocument {
  collections: SchemaCollection[];
}

/** The module a `--ts` schema file imports `defineSchema` from. */
export const DEFINE_SCHEMA_MODULE = '@hearth/sdk/schema';

const VOLATILE = new Set(['created', 'updated']);

export function exportSchema(collections: readonly Collection[]): SchemaDocument {
  const sorted = [...collections].sort((a, b) => Number(b.system) - Number(a.system) || a.name.localeCompare(b.name));
  return {
    collections: sorted.map((c) => Object.fromEntries(Object.entries(toWire(c)).filter(([k]) => !VOLATILE.has(k))) as SchemaCollection),
  };
}

export function schemaToJson(doc: SchemaDocument): string {
  return JSON.stringify(doc, null, 2) + '\n';
}

export function schemaToTs(doc: SchemaDocument): string {
  return [
    '// Hearth schema. Apply with `hearth schema apply <this file>`; keep the ids: they identify renames.',
    `import { defineSchema } from '${DEFINE_SCHEMA_MODULE}';`,
    '',
    `export default defineSchema(${JSON.stringify(doc, null, 2)});`,
    '',
  ].join('\n');
}

/** Validates the outer shape of a parsed schema file; collection contents are checked on apply. */
export function parseSchemaDocument(value: unknown): SchemaDocument {
  const list = Array.isArray(value) ? value : (value as { collections?: unknown } | null)?.collections;
  if (!Array.isArray(list)) throw badRequest('Invalid schema file: expected { "collections": [...] }.');
  list.forEach((c, i) => {
    if (c === null || typeof c !== 'object' || Array.isArray(c)) throw badRequest(`Invalid schema file: collections[${i}] is not an object.`);
  });
  return { collections: list as SchemaCollection[] };
}
