/**
 * Filter AST → parameterised WHERE expression in the given dialect (SQLite by default). Every identifier goes through the
 * FieldResolver; every literal and resolved value is a bound `?` — nothing from the input is
 * ever spliced into the SQL text.
 */
import { sqliteDialect, type Dialect } from '../shared/dialect/index.ts';
import type { Expr, Operand } from './ast.ts';
import type { FieldResolver, SqlFragment, SqlValue } from './resolver.ts';
import { constantOperand, type CompiledOperand } from './compile-comparison.ts';
import { compileComparison, type AliasSource } from './compile-set.ts';
import { parseFilter } from './parser.ts';
import { asOperand, joinSql, raw } from './sql-fragment.ts';

export interface CompileFilterOptions {
  /**
   * Counter for the `__mN` subquery aliases. Share one between compilations whose SQL is nested
   * in one statement if you want globally unique aliases (nesting is also correct without).
   */
  counter?: { n: number };
  /** The engine's SQL dialect (data, not a connection); SQLite when absent. */
  dialect?: Dialect;
}

/**
 * Compiles a filter (text or a parsed AST) to a boolean SQL expression. Empty filters give
 * `TRUE`. Groups are parenthesised, so the result can be ANDed/ORed/NOTed as it is.
 * @example compileFilter('title ~ "x" && votes > 3', resolver)
 *   // → { sql: '("t"."title" LIKE ? ESCAPE \'\\\' AND "t"."votes" > ?)', params: ['%x%', 3] }
 */
export function compileFilter(
  input: Expr | string | null,
  resolver: FieldResolver,
  options: CompileFilterOptions = {},
): SqlFragment {
  const expr = typeof input === 'string' ? parseFilter(input) : input;
  if (!expr) return raw('TRUE');
  const counter = options.counter ?? { n: 0 };
  return compileExpr(expr, resolver, () => `__m${++counter.n}`, options.dialect ?? sqliteDialect);
}

function compileExpr(expr: Expr, resolver: FieldResolver, nextAlias: AliasSource, dialect: Dialect): SqlFragment {
  if (expr.kind === 'compare') {
    const left = compileOperand(expr.left, resolver, dialect);
    const right = compileOperand(expr.right, resolver, dialect);
    return compileComparison(left, expr.op, right, nextAlias, dialect);
  }
  const parts = expr.items.map((item) => compileExpr(item, resolver, nextAlias, dialect));
  const joined = joinSql(parts, expr.kind === 'and' ? ' AND ' : ' OR ');
  return { sql: `(${joined.sql})`, params: joined.params };
}

function compileOperand(operand: Operand, resolver: FieldResolver, dialect: Dialect): CompiledOperand {
  if (operand.kind === 'literal') return constantOperand(operand.value);
  const resolved = resolver.resolve(operand.id);
  switch (resolved.kind) {
    case 'value':
      return Array.isArray(resolved.value) ? constantSet(resolved.value, dialect) : constantOperand(resolved.value);
    case 'expr': {
      const { sql, params } = asOperand({ sql: resolved.sql, params: resolved.params });
      return { kind: 'scalar', sql, params };
    }
    case 'set':
      return { kind: 'set', sql: resolved.sql, params: resolved.params };
  }
}

/** A multi-valued constant (`@request.body.tags`) is a set over one bound JSON array. */
function constantSet(values: SqlValue[], dialect: Dialect): CompiledOperand {
  const json = JSON.stringify(values.map((v) => (typeof v === 'boolean' ? Number(v) : v)));
  return { kind: 'set', ...dialect.jsonArrayParamSet({ sql: '?', params: [json] }) };
}
