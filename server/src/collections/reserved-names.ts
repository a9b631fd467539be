/** Names a collection or field may not take: SQLite's internal namespace, filter literals, response keys. */

/**
 * Identifiers are always quoted, so SQLite keywords (`order`, `group`, …) are fine as collection
 * names; only SQLite's own `sqlite_` namespace is refused.
 */
export function isReservedCollectionName(name: string): boolean {
  return name.toLowerCase().startsWith('sqlite_');
}

/** Filter literals, rowid aliases (a column named rowid would shadow @rowid) and response keys. */
const RESERVED_FIELD_NAMES = new Set(['null', 'true', 'false', '_rowid_', 'rowid', 'oid', 'collectionid', 'collectionname', 'expand']);
/** Request keys the auth endpoints reserve. */
const RESERVED_AUTH_FIELD_NAMES = new Set(['passwordconfirm', 'oldpassword']);

/**
 * Why a field name is refused, as PocketBase's error codes tell it: `not_in` for the literals and
 * response keys every collection reserves, `reserved` for the auth endpoints' request keys.
 */
export function reservedFieldName(name: string, auth: boolean): 'not_in' | 'reserved' | undefined {
  const lower = name.toLowerCase();
  if (RESERVED_FIELD_NAMES.has(lower)) return 'not_in';
  if (auth && RESERVED_AUTH_FIELD_NAMES.has(lower)) return 'reserved';
  return undefined;
}

export function isReservedFieldName(name: string, auth: boolean): boolean {
  return reservedFieldName(name, auth) !== undefined;
}
