/**
 * Comparisons where either side is multi-valued (a set). `?op` means "any item matches";
 * a plain op means "all items match" (and, for positive ops, at least one item exists);
 * plain `!=` / `!~` mean "no item is equal / like". Two sets compare item pairs.
 */
import type { Dialect } from '../shared/dialect/index.ts';
import type { Operator } from './lexer.ts';
import type { SqlFragment } from './resolver.ts';
import { comparePredicate, type BaseOp, type CompiledOperand, type ScalarOperand } from './compile-comparison.ts';
import { joinSql, raw, sql } from './sql-fragment.ts';

/** Returns a fresh subquery alias (`__m1`, `__m2`, …), unique within one compilation. */
export type AliasSource = () => string;

export function compileComparison(
  left: CompiledOperand,
  op: Operator,
  right: CompiledOperand,
  nextAlias: AliasSource,
  dialect?: Dialect,
): SqlFragment {
  const anyOf = op.startsWith('?');
  const base = (anyOf ? op.slice(1) : op) as BaseOp;
  if (left.kind === 'scalar' && right.kind === 'scalar') return comparePredicate(left, base, right, dialect);
  if (anyOf) return matching(left, base, right, nextAlias, 'some', dialect);
  if (base === '!=') return sql`NOT ${matching(left, '=', right, nextAlias, 'some', dialect)}`;
  if (base === '!~') return sql`NOT ${matching(left, '~', right, nextAlias, 'some', dialect)}`;
  const some = matching(left, base, right, nextAlias, 'some', dialect);
  const counterexample = matching(left, base, right, nextAlias, 'failing', dialect);
  return sql`(${some} AND NOT ${counterexample})`;
}

/**
 * `EXISTS (SELECT 1 FROM (<set>) AS __mN WHERE <predicate>)`; with 'failing', the predicate is
 * `(<p>) IS NOT TRUE` so items where the comparison is NULL also count as not matching.
 */
function matching(
  left: CompiledOperand,
  op: BaseOp,
  right: CompiledOperand,
  nextAlias: AliasSource,
  mode: 'some' | 'failing',
  dialect: Dialect | undefined,
): SqlFragment {
  const from: SqlFragment[] = [];
  const item = (operand: CompiledOperand): ScalarOperand => {
    if (operand.kind === 'scalar') return operand;
    const alias = nextAlias();
    from.push(sql`(${operand}) AS ${raw(alias)}`);
    return { kind: 'scalar', sql: `${alias}.v`, params: [] };
  };
  const l = item(left);
  const r = item(right);
  const predicate = comparePredicate(l, op, r, dialect);
  const where = mode === 'some' ? predicate : sql`(${predicate}) IS NOT TRUE`;
  return sql`EXISTS (SELECT 1 FROM ${joinSql(from, ', ')} WHERE ${where})`;
}
