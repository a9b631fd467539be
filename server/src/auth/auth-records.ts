/**
 * Reading auth records straight from their collection tables: by id (token verification) and by
 * identity (password login). Rows are returned raw — `password` and `tokenKey` included — so
 * callers must never send them to a client unserialised.
 */
import { quoteIdent, type SqlQueryable, type Steps } from '../db/index.ts';
import { findField, FIELD_NAME_PATTERN, type Collection } from '../collections/model.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import { uniqueIndexCollation } from '../collections/ddl/index-sql.ts';

/** A raw row of an auth collection table. */
export type AuthRecord = Record<string, unknown> & { id: string };

/** The system collection whose records are superusers. */
export const SUPERUSERS_COLLECTION = '_superusers';

/** Identities longer than this are never stored, so they need no lookup. */
export const MAX_IDENTITY_LENGTH = 255;

/** The collection by name or id if it exists and is an auth collection. */
export function findAuthCollection(registry: CollectionRegistry, nameOrId: string): Collection | undefined {
  const collection = registry.find(nameOrId);
  return collection && collection.type === 'auth' ? collection : undefined;
}

const byIdSql = (collection: Collection) => `SELECT * FROM ${quoteIdent(collection.name)} WHERE "id" = ? LIMIT 1`;

export function getAuthRecord(q: SqlQueryable, collection: Collection, id: string): Promise<AuthRecord | undefined> {
  return q.get<AuthRecord>(byIdSql(collection), [id]);
}

/** `getAuthRecord` as a step (token verification runs on either interface, see db/steps.ts). */
export function* authRecordById(collection: Collection, id: string): Steps<AuthRecord | undefined> {
  const rows = yield { sql: byIdSql(collection), params: [id] };
  return rows[0] as AuthRecord | undefined;
}

/** The fields a login may match, filtered to real columns. `email` is always a column of auth tables. */
export function identityColumns(collection: Collection): string[] {
  const wanted = collection.auth?.passwordAuth?.identityFields;
  const names = wanted && wanted.length > 0 ? wanted : ['email'];
  return names.filter(
    (name) => name === 'email' || (FIELD_NAME_PATTERN.test(name) && findField(collection, name) !== undefined),
  );
}

/**
 * The first record whose identity field equals `identity`, trying the fields in their configured
 * order (or only `only`). A field compares as its unique index does (`COLLATE NOCASE` makes it
 * case-insensitive, as in PocketBase); email always compares case-insensitively, since people
 * type their address in any case.
 */
export async function findAuthRecordByIdentity(q: SqlQueryable, collection: Collection, identity: string, only?: string): Promise<AuthRecord | undefined> {
  if (identity === '' || identity.length > MAX_IDENTITY_LENGTH) return undefined;
  const table = quoteIdent(collection.name);
  for (const column of only ? [only] : identityColumns(collection)) {
    const nocase = column === 'email' || uniqueIndexCollation(collection.indexes, column) === 'nocase';
    const where = nocase ? q.dialect.equalsNoCase(quoteIdent(column), '?') : `${quoteIdent(column)} = ?`;
    const row = await q.get<AuthRecord>(`SELECT * FROM ${table} WHERE ${where} LIMIT 1`, [identity]);
    if (row) return row;
  }
  return undefined;
}
