/**
 * A collection's index list: carried across renames (table and column names rewritten), completed
 * with the unique indexes auth collections require, and checked statically (shape, target table,
 * known columns, unique names and definitions). SQLite itself checks the rest when they are built.
 */
import { fieldError } from '../shared/errors.ts';
import { setError, type ErrorTree } from './error-tree.ts';
import { hasSingleColumnUnique, parseIndex, rewriteIndex } from './ddl/index-sql.ts';
import type { Collection, CollectionType, Field } from './model.ts';
import { authIndexName } from './system-fields.ts';

export interface IndexPlanInput {
  /** The indexes sent by the client, if any. */
  sent?: string[];
  original?: Collection;
  id: string;
  name: string;
  type: CollectionType;
  fields: Field[];
}

/** Old → new name of fields that kept their id but changed name. */
export function renamedFields(previous: Field[], next: Field[]): Map<string, string> {
  const renamed = new Map<string, string>();
  for (const f of next) {
    const old = previous.find((p) => p.id === f.id);
    if (old && old.name !== f.name) renamed.set(old.name.toLowerCase(), f.name);
  }
  return renamed;
}

export function planIndexes(input: IndexPlanInput): string[] {
  const { original } = input;
  // As PocketBase, an index is always on the collection's own table, whatever table its SQL names.
  let indexes = (input.sent ?? []).map((sql) => {
    const parsed = parseIndex(sql);
    return parsed && parsed.table.toLowerCase() !== (original?.name ?? input.name).toLowerCase() ? rewriteIndex(sql, { table: input.name }) : sql;
  });
  if (!input.sent) indexes = [...(original?.indexes ?? [])];
  if (original) {
    const table = original.name !== input.name ? input.name : undefined;
    // Column renames are applied only to indexes we carried over: a client that sends indexes
    // along with renames has already written them against the new names.
    const columns = input.sent ? undefined : renamedFields(original.fields, input.fields);
    indexes = indexes.map((sql) => {
      const parsed = parseIndex(sql);
      const targetsOld = parsed && parsed.table.toLowerCase() === original.name.toLowerCase();
      return rewriteIndex(sql, { table: targetsOld ? table : undefined, columns });
    });
  }
  if (input.type === 'auth') {
    const q = (s: string) => `\`${s}\``;
    if (!hasSingleColumnUnique(indexes, 'tokenKey')) {
      indexes.push(`CREATE UNIQUE INDEX ${q(authIndexName('tokenKey', input))} ON ${q(input.name)} (${q('tokenKey')})`);
    }
    if (!hasSingleColumnUnique(indexes, 'email')) {
      indexes.push(`CREATE UNIQUE INDEX ${q(authIndexName('email', input))} ON ${q(input.name)} (${q('email')}) WHERE ${q('email')} != ''`);
    }
  }
  return indexes;
}

const invalid = (message = 'Invalid CREATE INDEX expression.') => fieldError('validation_invalid_index_expression', message);

/**
 * `otherIndexNames`: lower-cased names of indexes on other tables (SQLite's index names are
 * database-wide, so they are taken).
 */
export function validateIndexes(indexes: string[], name: string, type: CollectionType, fields: Field[], errors: ErrorTree, otherIndexNames: ReadonlySet<string> = new Set()): void {
  if (type === 'view' && indexes.length > 0) {
    setError(errors, ['indexes'], fieldError('validation_indexes_not_supported', "View collections don't support indexes."));
    return;
  }
  const fieldNames = new Set(fields.map((f) => f.name.toLowerCase()));
  const names = new Set<string>();
  const definitions = new Set<string>();
  indexes.forEach((sql, i) => {
    const parsed = parseIndex(sql);
    if (!parsed) return setError(errors, ['indexes', i], invalid());
    if (otherIndexNames.has(parsed.name.toLowerCase())) {
      return setError(errors, ['indexes', i], fieldError('validation_existing_index_name', 'The index name is already used by another table.'));
    }
    if (parsed.table.toLowerCase() !== name.toLowerCase()) {
      return setError(errors, ['indexes', i], invalid(`The index must be on the collection's table "${name}".`));
    }
    const unknown = parsed.columns.find((c) => c.name !== undefined && !fieldNames.has(c.name.toLowerCase()));
    if (unknown) return setError(errors, ['indexes', i], invalid(`Unknown column "${unknown.name}".`));
    if (names.has(parsed.name.toLowerCase())) {
      return setError(errors, ['indexes', i], fieldError('validation_duplicated_index_name', 'The index name already exists.'));
    }
    names.add(parsed.name.toLowerCase());
    const definition = JSON.stringify([parsed.unique, parsed.columns.map((c) => c.text.toLowerCase()), parsed.where.toLowerCase()]);
    if (definitions.has(definition)) {
      return setError(errors, ['indexes', i], fieldError('validation_duplicated_index_definition', 'The index definition already exists.'));
    }
    definitions.add(definition);
  });
}

/** Auth identity fields must exist and carry a single-column UNIQUE index (PocketBase's rule). */
export function validateIdentityFields(identityFields: string[], fields: Field[], indexes: string[], errors: ErrorTree): void {
  // One error for the list, naming the first bad field (PocketBase's shape).
  const path = ['passwordAuth', 'identityFields'];
  identityFields.forEach((name) => {
    if (errors.passwordAuth) return;
    if (!fields.some((f) => f.name === name)) {
      setError(errors, path, fieldError('validation_missing_field', `Invalid or missing field ${name}.`));
    } else if (!hasSingleColumnUnique(indexes, name)) {
      setError(errors, path, fieldError('validation_missing_unique_constraint', `The field ${name} doesn't have a UNIQUE constraint.`));
    }
  });
}
