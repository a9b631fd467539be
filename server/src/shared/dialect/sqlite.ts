/** SQLite's dialect: the text every producer wrote before there was a second engine. */
import { compose, insertIgnoreSql, jsonPathText, quoteIdentifier, returningSql, upsertSql } from './compose.ts';
import type { ColumnKind, Dialect } from './types.ts';

const COLUMN_TYPES: Record<ColumnKind, string> = {
  text: "TEXT DEFAULT '' NOT NULL",
  textPrimaryKey: 'TEXT PRIMARY KEY NOT NULL',
  number: 'NUMERIC DEFAULT 0 NOT NULL',
  bool: 'BOOLEAN DEFAULT FALSE NOT NULL',
  json: 'JSON DEFAULT NULL',
  jsonList: "JSON DEFAULT '[]' NOT NULL",
};

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  quoteIdent: quoteIdentifier,
  nativePlaceholders: (sql) => sql,
  same: (l, r, equal) => compose(l, equal ? ' IS ' : ' IS NOT ', r),
  empty: (x, isEmpty) => (isEmpty ? compose('(', x, ' IS NULL OR ', x, " = '')") : compose('(', x, ' IS NOT NULL AND ', x, " != '')")),
  like: (x, pattern, positive) => compose(x, positive ? ' LIKE ' : ' NOT LIKE ', pattern, " ESCAPE '\\'"),
  contains: (x) => compose("('%' || ", x, " || '%')"),
  jsonArrayParamSet: (json) => compose('SELECT value AS v FROM json_each(', json, ')'),
  jsonEach: (expr, alias) => `json_each(${expr}) ${alias}`,
  jsonParamItems: 'SELECT value FROM json_each(?)',
  jsonArrayLength: (expr) => `json_array_length(${expr})`,
  jsonExtract: (expr, path) => `json_extract(${expr}, '${jsonPathText(path)}')`,
  equalsNoCase: (l, r) => `${l} = ${r} COLLATE NOCASE`,
  noLimit: 'LIMIT -1',
  random: 'RANDOM()',
  upsert: upsertSql,
  insertIgnore: insertIgnoreSql,
  returning: returningSql,
  columnType: (kind) => COLUMN_TYPES[kind],
  alterColumnType: false,
  caseInsensitiveNames: true,
};
