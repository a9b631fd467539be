/**
 * Reads a view query's outer SELECT the way PocketBase infers view field types: each result
 * column's expression and alias, and the tables of its FROM/JOIN list with their aliases. Pure
 * (tokens in, structure out); view-sql.ts turns it into fields.
 */
import { isIdent, isWord, significant, tokenize, type Token } from './sql-tokens.ts';

export interface SelectColumn {
  /** The expression's significant tokens (without the alias). */
  expr: Token[];
  /** The result column name as written (`AS x`, an implicit alias, or a column's own name). */
  alias: string;
}

export interface SourceTable {
  name: string;
  alias: string;
}

export interface SelectShape {
  columns: SelectColumn[];
  /** In order: the first is the main table (unqualified columns belong to it). */
  tables: SourceTable[];
}

const FROM_END = new Set(['WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'WINDOW', 'UNION', 'INTERSECT', 'EXCEPT']);
const JOIN_WORDS = new Set(['JOIN', 'LEFT', 'RIGHT', 'FULL', 'INNER', 'OUTER', 'CROSS', 'NATURAL']);

/** Splits `tokens` at depth-0 commas. */
function splitTopLevel(tokens: Token[]): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    if (depth === 0 && t.text === ',') parts.push([]);
    else parts[parts.length - 1]!.push(t);
  }
  return parts.filter((p) => p.length > 0);
}

/** Index of the first depth-0 token at or after `from` for which `pred` holds (or tokens.length). */
function findTopLevel(tokens: Token[], from: number, pred: (t: Token) => boolean): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (depth === 0 && pred(t)) return i;
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
  }
  return tokens.length;
}

function column(item: Token[]): SelectColumn {
  const last = item.at(-1)!;
  const before = item.at(-2);
  // SQLite also takes a string literal as an alias (`AS 'name'`).
  if (item.length >= 3 && ['word', 'quoted', 'string'].includes(last.kind) && isWord(before, 'AS')) return { expr: item.slice(0, -2), alias: last.value };
  if (item.length >= 2 && isIdent(last) && isIdent(before) && !isWord(before, 'AS')) return { expr: item.slice(0, -1), alias: last.value };
  // `t.col` or `col`: named after the column itself.
  return { expr: item, alias: isIdent(last) ? last.value : item.map((t) => t.text).join('') };
}

function table(segment: Token[]): SourceTable | undefined {
  const end = segment.findIndex((t) => isWord(t, 'ON') || isWord(t, 'USING'));
  const part = end === -1 ? segment : segment.slice(0, end);
  const [first, ...rest] = part;
  if (!isIdent(first) || rest.some((t) => t.text === '(' || t.text === '.')) return undefined; // subqueries, functions, schema.table
  const alias = rest.filter((t) => !isWord(t, 'AS')).at(-1);
  return { name: first.value, alias: isIdent(alias) ? alias.value : first.value };
}

function tables(tokens: Token[]): SourceTable[] {
  const out: SourceTable[] = [];
  for (const listed of splitTopLevel(tokens)) {
    let segment: Token[] = [];
    const flush = () => {
      const found = segment.length > 0 ? table(segment) : undefined;
      if (found) out.push(found);
      segment = [];
    };
    let depth = 0;
    for (const t of listed) {
      if (t.text === '(') depth++;
      else if (t.text === ')') depth--;
      if (depth === 0 && t.kind === 'word' && JOIN_WORDS.has(t.value.toUpperCase())) flush();
      else segment.push(t);
    }
    flush();
  }
  return out;
}

/** The outer SELECT of `query` (after any WITH clause), or null when it cannot be read. */
export function readSelect(query: string): SelectShape | null {
  const all = tokenize(query);
  if (typeof all === 'string') return null;
  const tokens = significant(all);
  const select = findTopLevel(tokens, 0, (t) => isWord(t, 'SELECT'));
  if (select === tokens.length) return null;
  let start = select + 1;
  if (isWord(tokens[start], 'DISTINCT') || isWord(tokens[start], 'ALL')) start++;
  const from = findTopLevel(tokens, start, (t) => isWord(t, 'FROM') || (t.kind === 'word' && FROM_END.has(t.value.toUpperCase())));
  const columns = splitTopLevel(tokens.slice(start, from)).map(column);
  if (!isWord(tokens[from], 'FROM')) return { columns, tables: [] };
  const end = findTopLevel(tokens, from + 1, (t) => t.text === ';' || (t.kind === 'word' && FROM_END.has(t.value.toUpperCase())));
  return { columns, tables: tables(tokens.slice(from + 1, end)) };
}

/** `count(…)`, `total(…)` or `cast(… as T)`: the type of number/text/bool it yields, if any. */
export type ComputedType = { type: 'number'; onlyInt: boolean } | { type: 'text' } | { type: 'bool' };

const CAST_TYPES: Record<string, ComputedType> = {
  REAL: { type: 'number', onlyInt: false },
  DECIMAL: { type: 'number', onlyInt: false },
  NUMERIC: { type: 'number', onlyInt: false },
  INT: { type: 'number', onlyInt: true },
  INTEGER: { type: 'number', onlyInt: true },
  TEXT: { type: 'text' },
  BOOLEAN: { type: 'bool' },
  BOOL: { type: 'bool' },
};

export function computedType(expr: Token[]): ComputedType | undefined {
  const [head, open] = expr;
  if (open?.text !== '(') return undefined;
  if (isWord(head, 'COUNT')) return { type: 'number', onlyInt: true };
  if (isWord(head, 'TOTAL')) return { type: 'number', onlyInt: false };
  if (!isWord(head, 'CAST') || expr.at(-1)?.text !== ')') return undefined;
  const type = expr.at(-2);
  if (!isWord(expr.at(-3), 'AS') || type?.kind !== 'word') return undefined;
  return CAST_TYPES[type.value.toUpperCase()];
}

/** `col` or `t.col` as [qualifier | undefined, column]; undefined for anything else. */
export function columnRef(expr: Token[]): [string | undefined, string] | undefined {
  if (expr.length === 1 && isIdent(expr[0])) return [undefined, expr[0].value];
  if (expr.length === 3 && isIdent(expr[0]) && expr[1]!.text === '.' && isIdent(expr[2])) return [expr[0].value, expr[2].value];
  return undefined;
}
