/**
 * Composing SQL fragments so parameters can never drift from their `?`: the `sql` tag
 * concatenates text and each interpolated fragment's params in exactly textual order.
 */
import type { SqlFragment, SqlValue } from './resolver.ts';

/** sql`${a} AND ${b}` → { sql: a.sql + ' AND ' + b.sql, params: [...a.params, ...b.params] } */
export function sql(strings: TemplateStringsArray, ...parts: SqlFragment[]): SqlFragment {
  let text = strings[0]!;
  const params: SqlValue[] = [];
  parts.forEach((part, i) => {
    text += part.sql + strings[i + 1]!;
    params.push(...part.params);
  });
  return { sql: text, params };
}

/** Trusted SQL text with no parameters (an alias, a keyword). Never pass user input here. */
export const raw = (text: string): SqlFragment => ({ sql: text, params: [] });

/** Joins fragments with a separator, keeping params in order. */
export function joinSql(parts: SqlFragment[], separator: string): SqlFragment {
  return { sql: parts.map((p) => p.sql).join(separator), params: parts.flatMap((p) => p.params) };
}

/** A plain column reference: `name`, `"t"."title"`, `__m1.v`, `je.value`. */
const COLUMN_REF = /^(?:[A-Za-z_][A-Za-z0-9_]*|"(?:[^"]|"")*")(?:\.(?:[A-Za-z_][A-Za-z0-9_]*|"(?:[^"]|"")*"))*$/;

/** A function name directly followed by `(`: `LOWER(`, `EXISTS(`; not the operator `NOT(`. */
const CALL_START = /^(?!not\()[A-Za-z_][A-Za-z0-9_]*(?=\()/i;

/**
 * Wraps a resolver's expression in parentheses unless it is a bare column, a single function
 * call or already fully parenthesised, so `a || b` or `x AND y` from a resolver cannot rebind
 * around our operators.
 */
export function asOperand(fragment: SqlFragment): SqlFragment {
  const text = fragment.sql;
  const callName = CALL_START.exec(text)?.[0];
  if (COLUMN_REF.test(text) || closesAtEnd(text, callName?.length ?? 0)) return fragment;
  return { sql: `(${text})`, params: fragment.params };
}

/** True when the `(` at `open` closes at the very end of `text` (quotes respected). */
function closesAtEnd(text: string, open: number): boolean {
  if (text[open] !== '(') return false;
  let depth = 0;
  let quoteChar = '';
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!;
    if (quoteChar) {
      if (ch === quoteChar) quoteChar = '';
    } else if (ch === "'" || ch === '"') {
      quoteChar = ch;
    } else if (ch === '(') {
      depth++;
    } else if (ch === ')') {
      depth--;
      if (depth === 0) return i === text.length - 1;
    }
  }
  return false;
}
