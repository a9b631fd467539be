/**
 * Parses, checks and rewrites index definitions of the form
 * `CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table (col [COLLATE x] [ASC|DESC], …) [WHERE expr]`.
 * Collections keep the user's string; renames of the table or a column are rewritten in place.
 */
import { SQLITE_KEYWORDS } from '../sqlite-keywords.ts';
import { hasInnerSemicolon, isIdent, isWord, significant, tokenize, type Token } from './sql-tokens.ts';

export interface IndexColumn {
  /** The column name when the item is a plain column reference; absent for expressions. */
  name?: string;
  text: string;
}

export interface ParsedIndex {
  unique: boolean;
  name: string;
  table: string;
  columns: IndexColumn[];
  where: string;
  tokens: Token[];
  tableToken: Token;
}

/** Splits the tokens between a `(` at `open` and its matching `)`; returns items and the close index. */
function splitParens(sig: Token[], open: number): { items: Token[][]; close: number } | undefined {
  const items: Token[][] = [[]];
  let depth = 0;
  for (let i = open + 1; i < sig.length; i++) {
    const t = sig[i]!;
    if (t.text === '(') depth++;
    if (t.text === ')') {
      if (depth === 0) return { items, close: i };
      depth--;
    }
    if (t.text === ',' && depth === 0) items.push([]);
    else items[items.length - 1]!.push(t);
  }
  return undefined;
}

/** `col`, `col COLLATE nocase`, `col DESC`… → the column name; anything else is an expression. */
function plainColumn(item: Token[]): string | undefined {
  const [first, ...rest] = item;
  if (!isIdent(first)) return undefined;
  let i = 0;
  if (isWord(rest[i], 'COLLATE') && isIdent(rest[i + 1])) i += 2;
  if (isWord(rest[i], 'ASC') || isWord(rest[i], 'DESC')) i += 1;
  return i === rest.length ? first.value : undefined;
}

export function parseIndex(sql: string): ParsedIndex | undefined {
  const tokens = tokenize(sql);
  if (typeof tokens === 'string' || hasInnerSemicolon(tokens)) return undefined;
  const sig = significant(tokens).filter((t, i, all) => !(t.text === ';' && i >= all.length - 1));
  let i = 0;
  if (!isWord(sig[i++], 'CREATE')) return undefined;
  const unique = isWord(sig[i], 'UNIQUE');
  if (unique) i++;
  if (!isWord(sig[i++], 'INDEX')) return undefined;
  if (isWord(sig[i], 'IF')) {
    if (!isWord(sig[i + 1], 'NOT') || !isWord(sig[i + 2], 'EXISTS')) return undefined;
    i += 3;
  }
  const name = sig[i++];
  if (!isIdent(name) || !isWord(sig[i++], 'ON')) return undefined;
  const table = sig[i++];
  if (!isIdent(table) || sig[i]?.text !== '(') return undefined;
  const parts = splitParens(sig, i);
  if (!parts || parts.items.some((item) => item.length === 0)) return undefined;
  const rest = sig.slice(parts.close + 1);
  if (rest.length > 0 && (!isWord(rest[0], 'WHERE') || rest.length === 1)) return undefined;
  const columns = parts.items.map((item) => ({
    name: plainColumn(item),
    text: sql.slice(item[0]!.start, item[item.length - 1]!.end),
  }));
  const where = rest.length > 0 ? sql.slice(rest[1]!.start, rest[rest.length - 1]!.end) : '';
  return { unique, name: name.value, table: table.value, columns, where, tokens, tableToken: table };
}

/** Quotes a replacement identifier in the style of the token it replaces. */
function requote(original: Token, name: string): string {
  if (original.kind === 'word') return SQLITE_KEYWORDS.has(name.toUpperCase()) ? `\`${name}\`` : name;
  const open = original.text[0]!;
  if (open === '[') return `[${name}]`;
  return open + name.replaceAll(open, open + open) + open;
}

export interface IndexRename {
  /** The new table name, when the collection was renamed. */
  table?: string;
  /** Lower-cased old column name → new name. */
  columns?: Map<string, string>;
}

/** Rewrites the table and renamed columns of an index definition; other text is kept as written. */
export function rewriteIndex(sql: string, rename: IndexRename): string {
  const parsed = parseIndex(sql);
  if (!parsed) return sql;
  const sig = significant(parsed.tokens);
  const tableAt = sig.indexOf(parsed.tableToken);
  let out = '';
  let pos = 0;
  sig.forEach((t, i) => {
    let replacement: string | undefined;
    if (i === tableAt && rename.table) replacement = requote(t, rename.table);
    else if (i > tableAt && isIdent(t) && rename.columns?.has(t.value.toLowerCase())) {
      const calls = sig[i + 1]?.text === '(';
      const afterCollate = isWord(sig[i - 1], 'COLLATE');
      const qualified = sig[i - 1]?.text === '.' || sig[i + 1]?.text === '.';
      if (!calls && !afterCollate && !qualified) replacement = requote(t, rename.columns.get(t.value.toLowerCase())!);
    }
    if (replacement !== undefined) {
      out += sql.slice(pos, t.start) + replacement;
      pos = t.end;
    }
  });
  return out + sql.slice(pos);
}

/** True when `indexes` has a UNIQUE index on exactly `column` (e.g. auth email and tokenKey). */
export function hasSingleColumnUnique(indexes: readonly string[], column: string): boolean {
  return indexes.some((sql) => {
    const parsed = parseIndex(sql);
    return !!parsed?.unique && parsed.columns.length === 1 && parsed.columns[0]!.name?.toLowerCase() === column.toLowerCase();
  });
}

/**
 * The collation of the single-column UNIQUE index on `column` (`'nocase'`, `'binary'`, …,
 * lower-case; `''` when the index names none), or undefined without such an index. Identity
 * look-ups compare as their index does, so `username COLLATE NOCASE` makes sign-in case-insensitive.
 */
export function uniqueIndexCollation(indexes: readonly string[], column: string): string | undefined {
  for (const sql of indexes) {
    const parsed = parseIndex(sql);
    const only = parsed?.unique && parsed.columns.length === 1 ? parsed.columns[0]! : undefined;
    if (!only || only.name?.toLowerCase() !== column.toLowerCase()) continue;
    return /\bCOLLATE\s+[`"[]?(\w+)/i.exec(only.text)?.[1]?.toLowerCase() ?? '';
  }
  return undefined;
}
