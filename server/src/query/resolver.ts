/**
 * The contract between the filter compiler and whoever knows the schema (records/, rules/).
 * The compiler never sees collections: it hands every identifier to a FieldResolver and gets
 * back SQL it can compose. Every value the resolver returns is bound as a parameter.
 */

/** A bindable value. Booleans are bound as 1/0 by db/. */
export type SqlValue = string | number | boolean | null;

/** What an identifier (field path or macro) resolves to. */
export type Resolved =
  /** A value known at compile time (`@request.auth.id`, `@now`, `@request.body.x`); bound as `?`. */
  | { kind: 'value'; value: SqlValue | SqlValue[] }
  /** One SQL expression per row, e.g. `"posts"."title"` or a correlated scalar subquery. */
  | { kind: 'expr'; sql: string; params: SqlValue[] }
  /**
   * Zero or more values per row: a SQL `SELECT` whose single result column is named `v`,
   * e.g. `SELECT je.value AS v FROM json_each("posts"."tags") je`. Comparisons against a set
   * mean "all items match" for plain operators and "any item matches" for the `?` operators.
   */
  | { kind: 'set'; sql: string; params: SqlValue[] };

/** An identifier as written: `author.name:lower` → path ['author','name'], modifier 'lower'. */
export interface Identifier {
  path: string[];
  modifier?: 'isset' | 'changed' | 'length' | 'each' | 'lower';
  /** The identifier exactly as it appeared in the input (for error messages). */
  raw: string;
}

export interface FieldResolver {
  /** Resolves an identifier or throws a QueryError naming it (unknown field, forbidden field…). */
  resolve(id: Identifier): Resolved;
}

/** Compiled SQL with positional `?` parameters in order of appearance. */
export interface SqlFragment {
  sql: string;
  params: SqlValue[];
}
