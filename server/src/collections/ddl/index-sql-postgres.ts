/** A collection's index definition (SQLite's quoting) in the form Postgres reads. */
import { quoteIdent } from '../../db/sql.ts';
import { tokenize } from './sql-tokens.ts';

/**
 * An index definition with every quoted identifier in Postgres's double quotes. Bare words that
 * name one of the table's columns are quoted too: SQLite matches them case-insensitively, while
 * Postgres folds them to lower case (`collectionRef` would name `collectionref`).
 */
export function indexSqlForPostgres(sql: string, columns: readonly string[] = []): string {
  const tokens = tokenize(sql);
  if (typeof tokens === 'string') return sql;
  const byLower = new Map(columns.map((c) => [c.toLowerCase(), c]));
  return tokens
    .map((t) => {
      if (t.kind === 'quoted') return quoteIdent(t.value);
      const column = t.kind === 'word' ? byLower.get(t.value.toLowerCase() || t.text.toLowerCase()) : undefined;
      return column ? quoteIdent(column) : t.text;
    })
    .join('');
}
