/**
 * The parsed filter. Immutable plain data (callers cache it by text), independent of any
 * collection: identifiers are resolved only when compiling.
 */
import type { Identifier } from './resolver.ts';
import type { Operator } from './lexer.ts';

export type { Operator };

/** A literal as written: strings, finite numbers, true/false, null. */
export type Literal = string | number | boolean | null;

export type Operand =
  | { kind: 'identifier'; id: Identifier; pos: number }
  | { kind: 'literal'; value: Literal; pos: number };

/** `left op right`, e.g. `author.name ?~ "ann"`. */
export interface Comparison {
  kind: 'compare';
  op: Operator;
  left: Operand;
  right: Operand;
  pos: number;
}

/** `&&` / `||` over two or more sub-expressions; `&&` binds tighter than `||`. */
export interface Group {
  kind: 'and' | 'or';
  items: Expr[];
}

export type Expr = Comparison | Group;
