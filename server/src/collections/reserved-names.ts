/** Names a collection or field may not take: SQLite keywords and internal names, filter literals. */

/** SQLite's keyword list (sqlite.org/lang_keywords.html): refused as collection names. */
const SQLITE_KEYWORDS = new Set(
  `ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC ATTACH AUTOINCREMENT BEFORE BEGIN BETWEEN BY
  CASCADE CASE CAST CHECK COLLATE COLUMN COMMIT CONFLICT CONSTRAINT CREATE CROSS CURRENT CURRENT_DATE
  CURRENT_TIME CURRENT_TIMESTAMP DATABASE DEFAULT DEFERRABLE DEFERRED DELETE DESC DETACH DISTINCT DO DROP
  EACH ELSE END ESCAPE EXCEPT EXCLUDE EXCLUSIVE EXISTS EXPLAIN FAIL FILTER FIRST FOLLOWING FOR FOREIGN FROM
  FULL GENERATED GLOB GROUP GROUPS HAVING IF IGNORE IMMEDIATE IN INDEX INDEXED INITIALLY INNER INSERT
  INSTEAD INTERSECT INTO IS ISNULL JOIN KEY LAST LEFT LIKE LIMIT MATCH MATERIALIZED NATURAL NO NOT NOTHING
  NOTNULL NULL NULLS OF OFFSET ON OR ORDER OTHERS OUTER OVER PARTITION PLAN PRAGMA PRECEDING PRIMARY QUERY
  RAISE RANGE RECURSIVE REFERENCES REGEXP REINDEX RELEASE RENAME REPLACE RESTRICT RETURNING RIGHT ROLLBACK
  ROW ROWS SAVEPOINT SELECT SET TABLE TEMP TEMPORARY THEN TIES TO TRANSACTION TRIGGER UNBOUNDED UNION
  UNIQUE UPDATE USING VACUUM VALUES VIEW VIRTUAL WHEN WHERE WINDOW WITH WITHOUT`.split(/\s+/),
);

export function isReservedCollectionName(name: string): boolean {
  const upper = name.toUpperCase();
  return SQLITE_KEYWORDS.has(upper) || upper.startsWith('SQLITE_');
}

/** Filter literals, rowid aliases (a column named rowid would shadow @rowid) and response keys. */
const RESERVED_FIELD_NAMES = new Set(['null', 'true', 'false', '_rowid_', 'rowid', 'oid', 'collectionid', 'collectionname', 'expand']);
/** Request keys the auth endpoints reserve. */
const RESERVED_AUTH_FIELD_NAMES = new Set(['passwordconfirm', 'oldpassword']);

export function isReservedFieldName(name: string, auth: boolean): boolean {
  const lower = name.toLowerCase();
  return RESERVED_FIELD_NAMES.has(lower) || (auth && RESERVED_AUTH_FIELD_NAMES.has(lower));
}
