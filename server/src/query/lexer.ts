/**
 * Filter lexer: text → tokens with 0-based positions. Knows PocketBase's token set — identifiers,
 * quoted strings, numbers, true/false/null, comparison operators, && ||, parentheses and `//`
 * comments. Bad input is a 400 naming the character and its position.
 */
import type { Identifier } from './resolver.ts';
import { isIdentifierPart, isIdentifierStart, parseIdentifier } from './identifier.ts';
import { queryError, quote } from './query-error.ts';

export const OPERATORS = ['=', '!=', '>', '>=', '<', '<=', '~', '!~', '?=', '?!=', '?>', '?>=', '?<', '?<=', '?~', '?!~'] as const;
export type Operator = (typeof OPERATORS)[number];

export type Token =
  | { type: 'identifier'; id: Identifier; pos: number }
  | { type: 'literal'; value: string | number | boolean | null; pos: number }
  | { type: 'operator'; op: Operator; pos: number }
  | { type: 'and' | 'or' | 'lparen' | 'rparen'; pos: number }
  | { type: 'eof'; pos: number };

const OPERATOR_SET: ReadonlySet<string> = new Set(OPERATORS);
const OPERATOR_CHARS = /^[=!<>~?]$/;
const WHITESPACE = /^[ \t\r\n]$/;
const DIGIT = /^[0-9]$/;
const KEYWORDS: Record<string, boolean | null> = { true: true, false: false, null: null };

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (problem: string, at: number) => queryError('filter', problem, at);
  while (i < text.length) {
    const ch = text[i]!;
    const start = i;
    if (WHITESPACE.test(ch)) {
      i++;
    } else if (ch === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end + 1;
    } else if (ch === '(' || ch === ')') {
      tokens.push({ type: ch === '(' ? 'lparen' : 'rparen', pos: i });
      i++;
    } else if ((ch === '&' || ch === '|') && text[i + 1] === ch) {
      tokens.push({ type: ch === '&' ? 'and' : 'or', pos: i });
      i += 2;
    } else if (ch === '"' || ch === "'") {
      const [value, end] = scanString(text, i);
      tokens.push({ type: 'literal', value, pos: start });
      i = end;
    } else if (DIGIT.test(ch) || (ch === '-' && DIGIT.test(text[i + 1] ?? ''))) {
      const [value, end] = scanNumber(text, i);
      tokens.push({ type: 'literal', value, pos: start });
      i = end;
    } else if (isIdentifierStart(ch)) {
      while (i < text.length && isIdentifierPart(text[i]!)) i++;
      const raw = text.slice(start, i);
      const keyword = raw.toLowerCase();
      if (Object.hasOwn(KEYWORDS, keyword)) tokens.push({ type: 'literal', value: KEYWORDS[keyword] as boolean | null, pos: start });
      else tokens.push({ type: 'identifier', id: parseIdentifier(raw, 'filter', start), pos: start });
    } else if (OPERATOR_CHARS.test(ch)) {
      while (i < text.length && OPERATOR_CHARS.test(text[i]!)) i++;
      const op = text.slice(start, i);
      if (!OPERATOR_SET.has(op)) throw fail(`unknown operator ${quote(op)}`, start);
      tokens.push({ type: 'operator', op: op as Operator, pos: start });
    } else {
      throw fail(`unexpected character ${quote(ch)}`, start);
    }
  }
  tokens.push({ type: 'eof', pos: text.length });
  return tokens;
}

/**
 * A quoted string. `\` + the quote character or `\\` unescape; any other `\x` is kept as written
 * so LIKE escapes such as `"50\%"` reach the pattern (PocketBase behaves the same).
 */
function scanString(text: string, start: number): [string, number] {
  const q = text[start]!;
  let out = '';
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === q) return [out, i + 1];
    if (ch === '\\' && (text[i + 1] === q || text[i + 1] === '\\')) {
      out += text[i + 1];
      i += 2;
    } else {
      out += ch;
      i++;
    }
  }
  throw queryError('filter', 'unterminated string', start);
}

/** `-?digits(.digits)?`; no exponents (PocketBase has none) and only finite values. */
function scanNumber(text: string, start: number): [number, number] {
  const m = /^-?[0-9]+(\.[0-9]+)?/.exec(text.slice(start, start + 400));
  const literal = m?.[0] ?? '';
  const end = start + literal.length;
  const value = Number(literal);
  if (!m || !Number.isFinite(value) || end - start >= 400 || /^[.A-Za-z_]$/.test(text[end] ?? '')) {
    throw queryError('filter', `invalid number ${quote(text.slice(start, end + 1))}`, start);
  }
  return [value, end];
}
