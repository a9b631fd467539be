/** Compiles a client `sort` parameter against a collection with the untrusted resolver. */
import { compileSort, parseSort } from '../query/index.ts';
import type { SqlFragment } from '../query/resolver.ts';
import { badRequest } from '../shared/errors.ts';
import { RecordFieldResolver } from './field-resolver.ts';
import type { CompileOptions } from './compile-expression.ts';

export function compileSortFor(text: string, opts: CompileOptions): SqlFragment | null {
  if (text.trim() === '') return null;
  const items = parseSort(text);
  if (items.length === 0) return null;
  const resolver = new RecordFieldResolver({ ...opts, counter: opts.counter ?? { n: 0 }, guard: () => 'deny' });
  const out = compileSort(items, resolver, { rowidSql: `${opts.alias}._rowid_` });
  if (resolver.scopes().length > 0) throw badRequest('Invalid sort: @collection fields cannot be sorted on.');
  return out;
}
