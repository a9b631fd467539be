/**
 * Simple compiled conditions evaluated in memory against a change's snapshot, with SQLite's
 * answer. The input is the SQL the rule engine compiled for one caller (rules/ and query/ are
 * the only source of it); only shapes whose meaning is unambiguous are recognised, everything
 * else returns null and stays in SQL (snapshot-table.ts):
 *
 * | SQL (alias `t`, one bound `?` each)          | from                                  |
 * |---|---|
 * | `t."col" IS ?` / `? IS t."col"`              | `col = "x"`, `owner = @request.auth.id` |
 * | `t."col" IS NOT ?` / `? IS NOT t."col"`      | `col != "x"`                          |
 * | `(t."col" IS NULL OR t."col" = '')`          | `col = ""`, `col = null`              |
 * | `(t."col" IS NOT NULL AND t."col" != '')`    | `col != ""`                           |
 * | the same four over two bound constants       | `@request.auth.id != ""`             |
 *
 * joined by `AND`; PostgreSQL's forms of the same conditions (`IS [NOT] DISTINCT FROM`, the column
 * or constant as `CAST(… AS TEXT)` in the empty checks) are read alike. A column must have TEXT affinity and the bound value must be a string (both
 * checked), so `IS` is plain string equality; a snapshot value that is neither a string nor null
 * makes the answer unknown (undefined) and the caller falls back to SQL.
 */
import type { SqlFragment, SqlValue } from '../query/resolver.ts';
import type { Row } from './change-feed.ts';
import { intern } from './intern.ts';

export type Atom =
  | { kind: 'is'; column: string; value: string; negated: boolean }
  | { kind: 'empty'; column: string; negated: boolean };

/** A conjunction of atoms; `never` when a constant part is false (the condition admits nothing). */
export interface MemoryCondition {
  atoms: Atom[];
  never: boolean;
}

const COL = String.raw`t\."([A-Za-z_][A-Za-z0-9_]*)"`;
/** A column as `dialect.empty` writes it: bare (SQLite) or `CAST(… AS TEXT)` (Postgres); two groups, one set. */
const TEXT_COL = String.raw`(?:${COL}|CAST\(${COL} AS TEXT\))`;
const TEXT_PARAM = String.raw`(?:\?|CAST\(\? AS TEXT\))`;
/** Null-safe equality as `dialect.same` writes it: SQLite `IS [NOT]`, Postgres `IS [NOT] DISTINCT FROM`. */
const SAME = 'IS (?:NOT )?DISTINCT FROM|IS NOT|IS';
const negatedSame = (op: string): boolean => op === 'IS NOT' || op === 'IS DISTINCT FROM';
const COL_IS = new RegExp(String.raw`^${COL} (${SAME}) \?$`);
const IS_COL = new RegExp(String.raw`^\? (${SAME}) ${COL}$`);
const COL_EMPTY = new RegExp(String.raw`^\(${TEXT_COL} IS NULL OR ${TEXT_COL} = ''\)$`);
const COL_NOT_EMPTY = new RegExp(String.raw`^\(${TEXT_COL} IS NOT NULL AND ${TEXT_COL} != ''\)$`);
const CONST_IS = new RegExp(String.raw`^\? (${SAME}) \?$`);
const CONST_EMPTY = new RegExp(String.raw`^\(${TEXT_PARAM} IS NULL OR ${TEXT_PARAM} = ''\)$`);
const CONST_NOT_EMPTY = new RegExp(String.raw`^\(${TEXT_PARAM} IS NOT NULL AND ${TEXT_PARAM} != ''\)$`);

/** Index of the `)` matching the `(` at `open`, skipping quoted strings and identifiers; -1 if none. */
function closing(sql: string, open: number): number {
  let depth = 0;
  for (let i = open; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === "'" || ch === '"') {
      const end = sql.indexOf(ch, i + 1);
      if (end < 0) return -1;
      i = end;
    } else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Splits `a AND b AND c` at depth 0 (outside parentheses and quotes). */
function splitAnd(sql: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === "'" || ch === '"') {
      const end = sql.indexOf(ch, i + 1);
      if (end < 0) return [sql];
      i = end;
    } else if (ch === '(') {
      const end = closing(sql, i);
      if (end < 0) return [sql];
      i = end;
    } else if (sql.startsWith(' AND ', i)) {
      parts.push(sql.slice(start, i));
      start = i + 5;
      i += 4;
    }
  }
  parts.push(sql.slice(start));
  return parts;
}

/** SQLite's `a IS b` for two bound values (no affinity): same storage class and equal. */
const sameValue = (a: SqlValue, b: SqlValue): boolean => (a === null ? b === null : typeof a === typeof b && a === b);
const isEmptyValue = (v: SqlValue): boolean => v === null || v === '';

interface Parsed {
  atoms: Atom[];
  never: boolean;
  /** Parameters consumed so far. */
  used: number;
}

function parseInto(sql: string, params: readonly SqlValue[], textColumns: ReadonlySet<string>, out: Parsed): boolean {
  const s = sql.trim();
  const next = () => params[out.used++];
  let m: RegExpExecArray | null;
  if ((m = COL_IS.exec(s)) || (m = IS_COL.exec(s))) {
    const colFirst = COL_IS.test(s);
    const negated = negatedSame(colFirst ? m[2]! : m[1]!);
    const column = colFirst ? m[1]! : m[2]!;
    const value = next();
    if (typeof value !== 'string' || !textColumns.has(column)) return false;
    out.atoms.push({ kind: 'is', column: intern(column), value, negated });
    return true;
  }
  if ((m = COL_EMPTY.exec(s)) || (m = COL_NOT_EMPTY.exec(s))) {
    const column = m[1] ?? m[2]!;
    if (column !== (m[3] ?? m[4]) || !textColumns.has(column)) return false;
    out.atoms.push({ kind: 'empty', column: intern(column), negated: s.includes('IS NOT NULL') });
    return true;
  }
  if ((m = CONST_IS.exec(s))) {
    const a = next() ?? null;
    const b = next() ?? null;
    if (sameValue(a, b) === negatedSame(m[1]!)) out.never = true;
    return true;
  }
  if (CONST_EMPTY.test(s) || CONST_NOT_EMPTY.test(s)) {
    const a = next() ?? null;
    const b = next() ?? null;
    if (!sameValue(a, b)) return false;
    if (isEmptyValue(a) !== CONST_EMPTY.test(s)) out.never = true;
    return true;
  }
  if (s.startsWith('(') && closing(s, 0) === s.length - 1) {
    const parts = splitAnd(s.slice(1, -1));
    if (parts.length < 2) return false;
    return parts.every((p) => parseInto(p, params, textColumns, out));
  }
  const parts = splitAnd(s);
  return parts.length > 1 && parts.every((p) => parseInto(p, params, textColumns, out));
}

/** The condition as atoms, or null when it needs SQL. `textColumns`: columns with TEXT affinity. */
export function toMemoryCondition(fragments: readonly SqlFragment[], textColumns: ReadonlySet<string>): MemoryCondition | null {
  const atoms: Atom[] = [];
  let never = false;
  for (const f of fragments) {
    // Every recognised shape is matched whole, so consuming exactly the params means all of the SQL was understood.
    const parsed: Parsed = { atoms, never: false, used: 0 };
    if (!parseInto(f.sql, f.params, textColumns, parsed) || parsed.used !== f.params.length) return null;
    never ||= parsed.never;
  }
  return { atoms, never: never || contradicts(atoms) };
}

/** Two atoms `col = a` and `col = b` with a ≠ b (or `col = a` and `col = ""`): nothing satisfies both. */
function contradicts(atoms: readonly Atom[]): boolean {
  const equal = new Map<string, string>();
  for (const a of atoms) {
    if (a.negated) continue;
    const value = a.kind === 'is' ? a.value : '';
    const seen = equal.get(a.column);
    if (seen === undefined) equal.set(a.column, value);
    else if (seen !== value) return true;
  }
  return false;
}

/** True/false as SQLite would answer over the snapshot; undefined when it cannot tell here. */
export function evaluate(cond: MemoryCondition, row: Row): boolean | undefined {
  if (cond.never) return false;
  for (const atom of cond.atoms) {
    const v = row[atom.column];
    let holds: boolean;
    if (v === null || v === undefined) holds = atom.kind === 'empty';
    else if (typeof v === 'string') holds = atom.kind === 'empty' ? v === '' : v === atom.value;
    else return undefined;
    if (holds === atom.negated) return false;
  }
  return true;
}

/** SQLite's affinity rules for a declared column type: TEXT when it names CHAR, CLOB or TEXT but not INT. */
export function hasTextAffinity(declaredType: string): boolean {
  const t = declaredType.toUpperCase();
  return !t.includes('INT') && (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT'));
}
