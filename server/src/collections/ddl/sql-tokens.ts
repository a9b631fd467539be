/**
 * A small SQLite tokenizer for the SQL that users hand us (index definitions, view queries): enough
 * to find identifiers, string literals, parentheses and statement separators with their offsets.
 */

export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'punct' | 'space';

export interface Token {
  kind: TokenKind;
  /** The source text of the token. */
  text: string;
  /** For words and quoted identifiers: the identifier without quotes. */
  value: string;
  start: number;
  end: number;
}

const CLOSERS: Record<string, string> = { '"': '"', '`': '`', '[': ']', "'": "'" };

function scanQuoted(sql: string, start: number): number | undefined {
  const open = sql[start]!;
  const close = CLOSERS[open]!;
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === close) {
      if (close !== ']' && sql[i + 1] === close) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return undefined;
}

function unquote(text: string): string {
  const open = text[0]!;
  const inner = text.slice(1, -1);
  return open === '[' ? inner : inner.replaceAll(open + open, open);
}

/** Tokenizes `sql`; returns an error message for unterminated quotes or comments. */
export function tokenize(sql: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, end: number, value = '') => {
    tokens.push({ kind, text: sql.slice(i, end), value, start: i, end });
    i = end;
  };
  while (i < sql.length) {
    const ch = sql[i]!;
    if (/\s/.test(ch)) {
      let j = i + 1;
      while (j < sql.length && /\s/.test(sql[j]!)) j++;
      push('space', j);
    } else if (ch === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      push('space', nl === -1 ? sql.length : nl + 1);
    } else if (ch === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      if (close === -1) return 'unterminated comment';
      push('space', close + 2);
    } else if (ch in CLOSERS) {
      const end = scanQuoted(sql, i);
      if (end === undefined) return 'unterminated quoted text';
      const text = sql.slice(i, end);
      push(ch === "'" ? 'string' : 'quoted', end, unquote(text));
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(i))!;
      push('word', i + m[0].length, m[0]);
    } else if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const m = /^(?:\d*\.?\d+|\d+\.)(?:[eE][+-]?\d+)?/.exec(sql.slice(i))!;
      push('number', i + m[0].length);
    } else {
      push('punct', i + 1, ch);
    }
  }
  return tokens;
}

export const isIdent = (t: Token | undefined): t is Token => t !== undefined && (t.kind === 'word' || t.kind === 'quoted');

export const isWord = (t: Token | undefined, word: string): boolean =>
  t !== undefined && t.kind === 'word' && t.value.toUpperCase() === word;

export const significant = (tokens: Token[]): Token[] => tokens.filter((t) => t.kind !== 'space');

/** True when a `;` appears anywhere except as trailing statement terminators. */
export function hasInnerSemicolon(tokens: Token[]): boolean {
  const sig = significant(tokens);
  let last = sig.length;
  while (last > 0 && sig[last - 1]!.text === ';') last--;
  return sig.slice(0, last).some((t) => t.text === ';');
}
