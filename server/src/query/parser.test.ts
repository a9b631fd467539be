import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/errors.ts';
import type { Expr } from './ast.ts';
import { MAX_FILTER_DEPTH, MAX_FILTER_EXPRESSIONS, MAX_FILTER_LENGTH } from './limits.ts';
import { parseFilter } from './parser.ts';

/** Renders an AST back as a fully parenthesised string to check structure. */
function show(e: Expr | null): string {
  if (!e) return '<none>';
  if (e.kind === 'compare') {
    const side = (o: typeof e.left) => (o.kind === 'identifier' ? o.id.raw : JSON.stringify(o.value));
    return `${side(e.left)} ${e.op} ${side(e.right)}`;
  }
  return `[${e.items.map(show).join(e.kind === 'and' ? ' AND ' : ' OR ')}]`;
}

function errorOf(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected an error');
}

describe('parseFilter', () => {
  it.each<[string, string]>([
    ['a = 1', 'a = 1'],
    ['a = 1 && b = 2 || c = 3', '[[a = 1 AND b = 2] OR c = 3]'],
    ['a = 1 || b = 2 && c = 3', '[a = 1 OR [b = 2 AND c = 3]]'],
    ['(a = 1 || b = 2) && c = 3', '[[a = 1 OR b = 2] AND c = 3]'],
    ['a = 1 && b = 2 && c = 3', '[a = 1 AND b = 2 AND c = 3]'],
    ['((a = "x"))', 'a = "x"'],
    ['"x" ?= tags', '"x" ?= tags'],
    ['a = null && b != true', '[a = null AND b != true]'],
    ['', '<none>'],
    ['  // nothing here', '<none>'],
  ])('%j → %s', (text, expected) => {
    expect(show(parseFilter(text))).toBe(expected);
  });

  it.each<[string, RegExp]>([
    ['a = 1)', /unexpected "\)" at position 5$/],
    ['(a = 1', /missing "\)" for "\(" at position 0$/],
    ['()', /unexpected "\)" at position 1; expected a field/],
    ['a = ', /unexpected end of filter/],
    ['a', /unexpected end of filter at position 1; expected an operator$/],
    ['a b', /unexpected "b" at position 2; expected an operator$/],
    ['a = 1 "x"', /unexpected string "x" at position 6$/],
    ['a = 1 b = 2', /unexpected "b" at position 6$/],
    ['a = 1 &&', /unexpected end of filter/],
    ['&& a = 1', /unexpected "&&" at position 0/],
    ['a = = 1', /unexpected "="/],
    ['a = 1 || || b = 2', /unexpected "\|\|"/],
    ['a = (1)', /unexpected "\("/],
  ])('rejects %j', (text, message) => {
    const err = errorOf(() => parseFilter(text));
    expect(isAppError(err) && err.code).toBe('bad_request');
    expect(err.message).toMatch(message);
  });

  it('limits the length', () => {
    const ok = 'a = "' + 'x'.repeat(MAX_FILTER_LENGTH - 6) + '"';
    expect(ok.length).toBe(MAX_FILTER_LENGTH);
    expect(() => parseFilter(ok)).not.toThrow();
    expect(errorOf(() => parseFilter(ok + ' ')).message).toMatch(/longer than 4096/);
    expect(errorOf(() => parseFilter('a = 1 && '.repeat(2300) + 'a = 1')).code).toBe('bad_request');
  });

  it('limits nesting depth', () => {
    const nest = (n: number) => '('.repeat(n) + 'a = 1' + ')'.repeat(n);
    expect(() => parseFilter(nest(MAX_FILTER_DEPTH))).not.toThrow();
    expect(errorOf(() => parseFilter(nest(MAX_FILTER_DEPTH + 1))).message).toMatch(/nested deeper than 16/);
    expect(errorOf(() => parseFilter(nest(2000))).code).toBe('bad_request');
  });

  it('limits the number of comparisons', () => {
    const chain = (n: number) => Array.from({ length: n }, () => 'a=1').join('||');
    expect(() => parseFilter(chain(MAX_FILTER_EXPRESSIONS))).not.toThrow();
    expect(errorOf(() => parseFilter(chain(MAX_FILTER_EXPRESSIONS + 1))).message).toMatch(/more than 200 comparisons/);
  });
});
