/**
 * One comparison between two single-valued operands, with PocketBase's semantics:
 * `=`/`!=` are null-safe (IS / IS NOT) and treat null and "" alike, `~`/`!~` are LIKE with
 * `ESCAPE '\'` ("contains" unless the pattern has a `%`), `<`… are plain SQL comparisons.
 * The engine-specific text (null-safe equality, LIKE) comes from the dialect.
 */
import { sqliteDialect, type Dialect } from '../shared/dialect/index.ts';
import type { SqlFragment, SqlValue } from './resolver.ts';
import { likePattern } from './like-pattern.ts';
import { raw, sql } from './sql-fragment.ts';

/** The operators without their `?` (any-of) prefix. */
export type BaseOp = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~' | '!~';

/** A single value per row. `constant` is set when the value is known at compile time (`?`). */
export interface ScalarOperand extends SqlFragment {
  kind: 'scalar';
  constant?: { value: SqlValue };
}

/** Zero or more values per row: a SELECT with one column `v`. */
export interface SetOperand extends SqlFragment {
  kind: 'set';
}

export type CompiledOperand = ScalarOperand | SetOperand;

/** A bound compile-time value. Booleans become 1/0, as SQLite stores them. */
export function constantOperand(value: SqlValue): ScalarOperand {
  const v = typeof value === 'boolean' ? Number(value) : value;
  return { kind: 'scalar', sql: '?', params: [v], constant: { value: v } };
}

export function comparePredicate(left: ScalarOperand, op: BaseOp, right: ScalarOperand, dialect: Dialect = sqliteDialect): SqlFragment {
  switch (op) {
    case '=':
    case '!=':
      return equality(left, op === '=', right, dialect);
    case '~':
    case '!~':
      return like(left, op === '~', right, dialect);
    default:
      return sql`${left} ${raw(op)} ${right}`;
  }
}

const isEmptyConstant = (o: ScalarOperand): boolean =>
  o.constant !== undefined && (o.constant.value === null || o.constant.value === '');

/**
 * `x = null` / `x = ""` → `(x IS NULL OR x = '')`; `x != null` → `(x IS NOT NULL AND x != '')`;
 * otherwise `x IS y` / `x IS NOT y`, so a NULL column still answers `!=` with true.
 */
function equality(left: ScalarOperand, equal: boolean, right: ScalarOperand, dialect: Dialect): SqlFragment {
  const other = isEmptyConstant(right) ? left : isEmptyConstant(left) ? right : undefined;
  if (other) return dialect.empty(other, equal);
  return dialect.same(left, right, equal);
}

/** A constant right side becomes a bound pattern; a column right side means "contains it". */
function like(left: ScalarOperand, positive: boolean, right: ScalarOperand, dialect: Dialect): SqlFragment {
  const pattern: SqlFragment = right.constant
    ? { sql: '?', params: [likePattern(String(right.constant.value ?? ''))] }
    : dialect.contains(right);
  return dialect.like(left, pattern, positive);
}
