/** SQL text helpers shared by every SQL-producing module. Identifiers must already be validated. */

/** Quotes an identifier for SQLite. Callers validate names against the schema first; quoting is the second fence. */
export function quoteIdent(name: string): string {
  return '"' + name.replaceAll('"', '""') + '"';
}
