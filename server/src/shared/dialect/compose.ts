/** Builds a fragment from text and fragments in order, so params follow their `?` exactly. */
import type { DialectValue, Fragment } from './types.ts';

export function compose(...parts: (string | Fragment)[]): Fragment {
  let sql = '';
  const params: DialectValue[] = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      sql += part;
    } else {
      sql += part.sql;
      params.push(...part.params);
    }
  }
  return { sql, params };
}

export const quoteIdentifier = (name: string): string => '"' + name.replaceAll('"', '""') + '"';

/** `$.a.b[0]` — a SQLite JSON path from validated segments (digits are array indexes). */
export const jsonPathText = (path: readonly string[]): string =>
  '$' + path.map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join('');

export function upsertSql(table: string, columns: readonly string[], keys: readonly string[]): string {
  const q = columns.map(quoteIdentifier);
  const head = `INSERT INTO ${quoteIdentifier(table)} (${q.join(', ')}) VALUES (${q.map(() => '?').join(', ')}) ON CONFLICT (${keys.map(quoteIdentifier).join(', ')})`;
  const rest = columns.filter((c) => !keys.includes(c)).map((c) => `${quoteIdentifier(c)} = excluded.${quoteIdentifier(c)}`);
  return rest.length === 0 ? `${head} DO NOTHING` : `${head} DO UPDATE SET ${rest.join(', ')}`;
}

export function insertIgnoreSql(table: string, columns: readonly string[]): string {
  const q = columns.map(quoteIdentifier);
  return `INSERT INTO ${quoteIdentifier(table)} (${q.join(', ')}) VALUES (${q.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`;
}

export const returningSql = (columns: readonly string[]): string => ` RETURNING ${columns.map(quoteIdentifier).join(', ')}`;
