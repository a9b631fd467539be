/**
 * Compiled client filters and sorts, kept per collection version and query text. A filter or sort
 * that names no macro (`@request.*`, `@collection.*`, `@now`, …) and joins nothing compiles to
 * the same SQL and parameters for every caller of the same standing (hidden fields exist only for
 * superusers), so its compiled form is reused; anything else compiles per request. Entries are
 * kept per collection version (collections/version-memo.ts).
 */
import type { Collection } from '../collections/model.ts';
import { versionMemo } from '../collections/version-memo.ts';
import type { SqlFragment } from '../query/resolver.ts';

/** A list's page and count statements built from one compiled pair when no rule adds a condition. */
export interface ListTexts {
  page: string;
  count: string;
}

export interface CompiledQuery {
  filter: SqlFragment | null;
  sort: SqlFragment | null;
  /** Filled by the first list that builds them (records/list-records.ts), then shared. */
  texts?: ListTexts;
}

/** Distinct (filter, sort) texts kept per collection version; a full memo is dropped whole. */
export const QUERY_MEMO_SIZE = 256;

const memo = versionMemo<string, CompiledQuery>(QUERY_MEMO_SIZE);

/**
 * Whether texts of this shape can be memoised at all: no macro (its value is the request's or
 * the clock's) and not an auth collection (an untrusted read of `email` there binds the caller's
 * id). The compile must also have joined nothing — the caller checks that before `remember`.
 */
export function memoisable(collection: Collection, filter: string, sort: string): boolean {
  return collection.type !== 'auth' && !filter.includes('@') && !sort.includes('@');
}

const keyOf = (privileged: boolean, filter: string, sort: string): string => `${privileged ? 's' : 'c'}${filter.length}:${filter}${sort}`;

export function recall(collection: Collection, privileged: boolean, filter: string, sort: string): CompiledQuery | undefined {
  return memo.get(collection, keyOf(privileged, filter, sort));
}

/** Keeps a compiled pair; its fragments are shared by every later request, so never mutate them (only `texts` is filled once). */
export function remember(collection: Collection, privileged: boolean, filter: string, sort: string, compiled: CompiledQuery): void {
  memo.set(collection, keyOf(privileged, filter, sort), compiled);
}
