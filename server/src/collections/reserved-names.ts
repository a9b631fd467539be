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

export function isReservedFieldName(name: string, auth: boolean): boolean {
  const lower = name.toLowerCase();
  return RESERVED_FIELD_NAMES.has(lower) || (auth && RESERVED_AUTH_FIELD_NAMES.has(lower));
}
