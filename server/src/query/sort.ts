/**
 * The `sort` parameter: `-created,title,@random,@rowid` → sort items → an ORDER BY list.
 * Keys go through the same FieldResolver as filters; multi-valued fields cannot be sorted on.
 */
import type { Dialect } from '../shared/dialect/index.ts';
import type { FieldResolver, Identifier, SqlFragment } from './resolver.ts';
import { parseIdentifier } from './identifier.ts';
import { MAX_SORT_FIELD_LENGTH, MAX_SORT_FIELDS } from './limits.ts';
import { queryError, quote } from './query-error.ts';
import { asOperand, joinSql } from './sql-fragment.ts';

export type SortItem =
  | { identifier: Identifier; desc: boolean }
  | { special: 'random' | 'rowid'; desc: boolean };

const SPECIAL: Record<string, 'random' | 'rowid'> = { '@random': 'random', '@rowid': 'rowid' };

/**
 * `-x` sorts descending, `+x` or `x` ascending. Empty text → no items. Throws a 400 on an
 * empty key, an invalid identifier or more than MAX_SORT_FIELDS keys.
 * @example parseSort('-created,title') // [{identifier: created, desc: true}, {identifier: title, desc: false}]
 */
export function parseSort(text: string): SortItem[] {
  if (text.trim() === '') return [];
  const keys = text.split(',');
  if (keys.length > MAX_SORT_FIELDS) throw queryError('sort', `more than ${MAX_SORT_FIELDS} sort fields`);
  let offset = 0;
  return keys.map((key) => {
    const at = offset + (key.length - key.trimStart().length);
    offset += key.length + 1;
    return parseKey(key.trim(), at);
  });
}

function parseKey(key: string, at: number): SortItem {
  if (key.length > MAX_SORT_FIELD_LENGTH) {
    throw queryError('sort', `sort field longer than ${MAX_SORT_FIELD_LENGTH} characters`, at);
  }
  const desc = key.startsWith('-');
  const name = desc || key.startsWith('+') ? key.slice(1) : key;
  if (name === '') throw queryError('sort', 'empty sort field', at);
  const special = Object.hasOwn(SPECIAL, name) ? SPECIAL[name] : undefined;
  if (special) return { special, desc };
  return { identifier: parseIdentifier(name, 'sort', at + key.length - name.length), desc };
}

export interface CompileSortOptions {
  /** SQL for `@rowid`; pass the qualified column (`"t"._rowid_`) when the query has joins. */
  rowidSql?: string;
  /** The engine's SQL dialect (for `@random`); SQLite when absent. */
  dialect?: Dialect;
}

/**
 * Sort items → `<expr> ASC|DESC, …` WITHOUT the `ORDER BY` keyword; empty items → sql ''.
 * `@random` → `RANDOM()` (direction ignored). A `set` or constant (`value`) resolution → 400.
 * @example compileSort(parseSort('-created'), resolver) // { sql: '"t"."created" DESC', params: [] }
 */
export function compileSort(
  items: SortItem[],
  resolver: FieldResolver,
  options: CompileSortOptions = {},
): SqlFragment {
  if (items.length > MAX_SORT_FIELDS) throw queryError('sort', `more than ${MAX_SORT_FIELDS} sort fields`);
  const parts = items.map((item): SqlFragment => {
    const dir = item.desc ? 'DESC' : 'ASC';
    if ('special' in item) {
      if (item.special === 'random') return { sql: options.dialect?.random ?? 'RANDOM()', params: [] };
      return { sql: `${options.rowidSql ?? '_rowid_'} ${dir}`, params: [] };
    }
    const resolved = resolver.resolve(item.identifier);
    if (resolved.kind !== 'expr') {
      throw queryError('sort', `cannot sort by ${quote(item.identifier.raw)} (not a single-valued field)`);
    }
    const operand = asOperand({ sql: resolved.sql, params: resolved.params });
    return { sql: `${operand.sql} ${dir}`, params: operand.params };
  });
  return joinSql(parts, ', ');
}
