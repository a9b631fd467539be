/**
 * PostgreSQL's dialect. Postgres types strictly where SQLite coerces, so comparisons that must
 * work on any column (emptiness, LIKE) compare the text form; LIKE is ILIKE (PocketBase's `~` is
 * case-insensitive); JSON is jsonb and its array functions see a non-array as empty.
 */
import { compose, insertIgnoreSql, quoteIdentifier, returningSql, upsertSql } from './compose.ts';
import { numberPlaceholders } from './placeholders.ts';
import type { ColumnKind, Dialect, Fragment } from './types.ts';

const COLUMN_TYPES: Record<ColumnKind, string> = {
  text: "TEXT DEFAULT '' NOT NULL",
  textPrimaryKey: 'TEXT PRIMARY KEY NOT NULL',
  number: 'DOUBLE PRECISION DEFAULT 0 NOT NULL',
  bool: 'BOOLEAN DEFAULT FALSE NOT NULL',
  json: 'JSONB DEFAULT NULL',
  jsonList: "JSONB DEFAULT '[]' NOT NULL",
};

/** Text form of any value; also gives a bare `?` a type (Postgres cannot infer one for `? IS NULL`). */
const asText = (x: Fragment): Fragment => compose('CAST(', x, ' AS TEXT)');

const arrayOrEmpty = (expr: string): string => `CASE jsonb_typeof(${expr}) WHEN 'array' THEN ${expr} ELSE '[]'::jsonb END`;

/** `'{a,0,b}'` — a text[] path literal from validated segments. */
const pathLiteral = (path: readonly string[]): string => `'{${path.join(',')}}'`;

export const postgresDialect: Dialect = {
  name: 'postgres',
  quoteIdent: quoteIdentifier,
  nativePlaceholders: numberPlaceholders,
  same: (l, r, equal) => compose(l, equal ? ' IS NOT DISTINCT FROM ' : ' IS DISTINCT FROM ', r),
  empty: (x, isEmpty) => {
    const t = asText(x);
    return isEmpty ? compose('(', t, ' IS NULL OR ', t, " = '')") : compose('(', t, ' IS NOT NULL AND ', t, " != '')");
  },
  like: (x, pattern, positive) => compose(asText(x), positive ? ' ILIKE ' : ' NOT ILIKE ', pattern, " ESCAPE '\\'"),
  contains: (x) => compose("('%' || ", asText(x), " || '%')"),
  jsonArrayParamSet: (json) => compose('SELECT je.value AS v FROM jsonb_array_elements_text(CAST(', json, ' AS JSONB)) AS je(value)'),
  jsonEach: (expr, alias) => `jsonb_array_elements_text(${arrayOrEmpty(expr)}) AS ${alias}(value)`,
  jsonParamItems: 'SELECT je.value FROM jsonb_array_elements_text(CAST(? AS JSONB)) AS je(value)',
  jsonArrayLength: (expr) => `jsonb_array_length(${arrayOrEmpty(expr)})`,
  jsonExtract: (expr, path) => `(${expr} #>> ${pathLiteral(path)})`,
  equalsNoCase: (l, r) => `lower(${l}) = lower(${r})`,
  noLimit: 'LIMIT ALL',
  random: 'RANDOM()',
  upsert: upsertSql,
  insertIgnore: insertIgnoreSql,
  returning: returningSql,
  columnType: (kind) => COLUMN_TYPES[kind],
  alterColumnType: true,
  caseInsensitiveNames: false,
};
