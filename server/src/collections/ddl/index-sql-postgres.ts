/** A collection's index definition (SQLite's quoting) in the form Postgres reads. */
import { quoteIdent } from '../../db/sql.ts';
import { tokenize } from './sql-tokens.ts';

/**
 * An index definition with every quoted identifier in Postgres's double quotes. Bare words that
 * name one of the table's columns are quoted too: SQLite matches them case-insensitively, while
 * Postgres folds them to lower case (`collectionRef` would name `collectionref`).
 * `COLLATE NOCASE` on a column becomes `lower(column)`.
 */
export function indexSqlForPostgres(sql: string, columns: readonly string[] = []): string {
  const tokens = tokenize(sql);
  if (typeof tokens === 'string') return sql;
  const byLower = new Map(columns.map((c) => [c.toLowerCase(), c]));
  const out = tokens.map((t) => {
    if (t.kind === 'quoted') return quoteIdent(t.value);
    const column = t.kind === 'word' ? byLower.get(t.value.toLowerCase() || t.text.toLowerCase()) : undefined;
    return column ? quoteIdent(column) : t.text;
  });
  // `col COLLATE NOCASE` (SQLite's case-insensitive text) → `lower(col)`: the same uniqueness, and
  // the index that identity look-ups (`lower(col) = lower(?)`, dialect.equalsNoCase) use.
  const solid = tokens.map((t, i) => ({ t, i })).filter(({ t }) => t.kind !== 'space');
  for (let k = 0; k + 2 < solid.length; k++) {
    const [col, collate, name] = [solid[k]!, solid[k + 1]!, solid[k + 2]!];
    const isColumn = col.t.kind === 'quoted' || (col.t.kind === 'word' && byLower.has(col.t.text.toLowerCase()));
    if (!isColumn || collate.t.text.toUpperCase() !== 'COLLATE' || name.t.text.replace(/["`[\]]/g, '').toUpperCase() !== 'NOCASE') continue;
    out[col.i] = `lower(${out[col.i]})`;
    for (let j = col.i + 1; j <= name.i; j++) out[j] = '';
  }
  return out.join('');
}
