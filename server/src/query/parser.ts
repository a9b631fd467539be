/**
 * Recursive-descent parser for the filter language:
 *   or := and ('||' and)* ;  and := primary ('&&' primary)* ;
 *   primary := '(' or ')' | operand OP operand
 * Enforces the length, nesting and comparison-count limits. Errors are 400s with positions.
 */
import type { Comparison, Expr, Operand } from './ast.ts';
import { tokenize, type Token } from './lexer.ts';
import { MAX_FILTER_DEPTH, MAX_FILTER_EXPRESSIONS, MAX_FILTER_LENGTH } from './limits.ts';
import { queryError, quote } from './query-error.ts';

/**
 * Parses filter or rule text. Returns null when there is no condition (empty, whitespace or
 * only comments). Throws AppError('bad_request') on any syntax error or exceeded limit.
 * @example parseFilter('status = "open" && (votes > 10 || pinned = true)')
 */
export function parseFilter(text: string): Expr | null {
  if (text.length > MAX_FILTER_LENGTH) {
    throw queryError('filter', `longer than ${MAX_FILTER_LENGTH} characters`);
  }
  const tokens = tokenize(text);
  if (tokens.length === 1) return null;
  const state: State = { tokens, i: 0, depth: 0, comparisons: 0 };
  const expr = parseOr(state);
  const next = peek(state);
  if (next.type !== 'eof') throw unexpected(next);
  return expr;
}

interface State {
  tokens: Token[];
  i: number;
  depth: number;
  comparisons: number;
}

const peek = (s: State): Token => s.tokens[s.i]!;
const advance = (s: State): Token => s.tokens[s.i === s.tokens.length - 1 ? s.i : s.i++]!;

function parseOr(s: State): Expr {
  const items = [parseAnd(s)];
  while (peek(s).type === 'or') {
    advance(s);
    items.push(parseAnd(s));
  }
  return items.length === 1 ? items[0]! : { kind: 'or', items };
}

function parseAnd(s: State): Expr {
  const items = [parsePrimary(s)];
  while (peek(s).type === 'and') {
    advance(s);
    items.push(parsePrimary(s));
  }
  return items.length === 1 ? items[0]! : { kind: 'and', items };
}

function parsePrimary(s: State): Expr {
  const t = peek(s);
  if (t.type !== 'lparen') return parseComparison(s);
  if (s.depth >= MAX_FILTER_DEPTH) {
    throw queryError('filter', `parentheses nested deeper than ${MAX_FILTER_DEPTH} levels`, t.pos);
  }
  advance(s);
  s.depth++;
  const inner = parseOr(s);
  s.depth--;
  const close = advance(s);
  if (close.type !== 'rparen') {
    throw close.type === 'eof' ? queryError('filter', `missing ")" for "(" at position ${t.pos}`) : unexpected(close);
  }
  return inner;
}

function parseComparison(s: State): Comparison {
  const left = parseOperand(s);
  const opToken = advance(s);
  if (opToken.type !== 'operator') throw unexpected(opToken, 'an operator');
  const right = parseOperand(s);
  s.comparisons++;
  if (s.comparisons > MAX_FILTER_EXPRESSIONS) {
    throw queryError('filter', `more than ${MAX_FILTER_EXPRESSIONS} comparisons`, left.pos);
  }
  return { kind: 'compare', op: opToken.op, left, right, pos: left.pos };
}

function parseOperand(s: State): Operand {
  const t = advance(s);
  if (t.type === 'identifier') return { kind: 'identifier', id: t.id, pos: t.pos };
  if (t.type === 'literal') return { kind: 'literal', value: t.value, pos: t.pos };
  throw unexpected(t, 'a field, string, number, true, false or null');
}

function describe(t: Token): string {
  switch (t.type) {
    case 'identifier':
      return quote(t.id.raw);
    case 'literal':
      return typeof t.value === 'string' ? `string ${quote(t.value)}` : String(t.value);
    case 'operator':
      return quote(t.op);
    case 'and':
      return '"&&"';
    case 'or':
      return '"||"';
    case 'lparen':
      return '"("';
    case 'rparen':
      return '")"';
    case 'eof':
      return 'end of filter';
  }
}

function unexpected(t: Token, expected?: string) {
  return queryError('filter', `unexpected ${describe(t)}`, t.pos, expected && `expected ${expected}`);
}
