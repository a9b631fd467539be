/**
 * A view query as Postgres must read it to mean what SQLite reads: an unquoted identifier folds to
 * lower case on Postgres, while SQLite matches names in any case. Unquoted words that name a
 * collection or a field spelled with capitals (`tokenKey`, `emailVisibility`, in any case) are
 * quoted as the schema spells them; every other word (keywords, functions, aliases, type names) is
 * left as written. SQLite's text is returned unchanged.
 */
import { quoteIdent } from '../../db/sql.ts';
import type { Dialect } from '../../shared/dialect/index.ts';
import type { Catalog } from '../catalog.ts';
import { significant, tokenize } from './sql-tokens.ts';

/** Lower-cased name → the schema's spelling, for names Postgres would otherwise fold. */
function foldedNames(catalog: Catalog): Map<string, string> {
  const names = new Map<string, string>();
  const add = (name: string) => {
    if (name !== name.toLowerCase()) names.set(name.toLowerCase(), name);
  };
  for (const collection of catalog.all()) {
    add(collection.name);
    for (const field of collection.fields) add(field.name);
  }
  return names;
}

export function viewBodyFor(dialect: Dialect, body: string, catalog: Catalog | undefined): string {
  if (dialect.name !== 'postgres' || !catalog) return body;
  const tokens = tokenize(body);
  if (typeof tokens === 'string') return body;
  const names = foldedNames(catalog);
  if (names.size === 0) return body;
  const sig = significant(tokens);
  let out = body;
  for (let i = sig.length - 1; i >= 0; i--) {
    const t = sig[i]!;
    if (t.kind !== 'word' || sig[i + 1]?.text === '(') continue; // a function call keeps its name
    const spelled = names.get(t.text.toLowerCase());
    if (spelled !== undefined) out = out.slice(0, t.start) + quoteIdent(spelled) + out.slice(t.end);
  }
  return out;
}
