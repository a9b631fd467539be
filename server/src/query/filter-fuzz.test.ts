/**
 * Property-based fuzzing of parse + compile. For any input: either a SqlFragment whose text holds
 * no value from the input (only resolver SQL, keywords, operators, `?` and `__mN` aliases, with
 * one param per `?`), or an AppError('bad_request') — never another error, never a stack overflow.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.ts';
import type { SqlFragment } from './resolver.ts';
import { compileFilter } from './compile-filter.ts';
import { RESOLVER_SQL, testResolver } from './test-resolver.ts';

const RUNS = 2500;
/** SQL text the compiler itself writes (constants, never derived from input). */
const COMPILER_CONSTANTS = ["ESCAPE '\\'", "'%'", "''", 'EXISTS (SELECT 1 FROM'];
const KEYWORDS = /\b(?:IS|NOT|NULL|AND|OR|LIKE|EXISTS|SELECT|FROM|WHERE|AS|TRUE|value|v|json_each)\b/g;
const BY_LENGTH = [...RESOLVER_SQL].sort((a, b) => b.length - a.length);

/** Throws when the SQL carries anything but structure; see the module header. */
function assertSafeSql({ sql, params }: SqlFragment): void {
  expect(sql.split('?').length - 1).toBe(params.length);
  let rest = sql;
  for (const known of [...BY_LENGTH, ...COMPILER_CONSTANTS]) rest = rest.replaceAll(known, ' ');
  rest = rest.replace(/\b__m[0-9]+(?:\.v)?\b/g, ' ').replace(KEYWORDS, ' ');
  if (!/^[\s?()=!<>|,]*$/.test(rest)) throw new Error(`unexpected SQL text ${JSON.stringify(rest)} in ${sql}`);
}

/** The property: compile or refuse cleanly. */
function compileOrRefuse(text: string): SqlFragment | null {
  try {
    const out = compileFilter(text, testResolver);
    assertSafeSql(out);
    return out;
  } catch (err) {
    if (err instanceof AppError && err.code === 'bad_request') return null;
    throw err;
  }
}

const CORPUS = [
  'title = "hello" && votes > 3',
  "(status = 'open' || status = null) && pinned != true",
  'tags ?= "a" && tags:length > 1 || tags != "x"',
  'author.name ~ "an%" && comments_via_post.text ?!~ "spam"',
  '@request.auth.id != "" && author = @request.auth.id // owner only',
  'title:lower = "x" && tags ?= @request.body.tags && votes >= -2.5',
  'tags = @request.body.tags || @request.body.title:isset = false',
];
const FILTER_CHARS = [...'()"\'\\ =!<>~?&|.:@_-/%;\n0123456789abcdeflnorstuvxz', 'NULL', 'OR', '--', '1=1', "' OR '"];

const mutation = fc.record({
  op: fc.constantFrom('insert', 'delete', 'replace'),
  at: fc.nat(),
  text: fc.oneof(fc.constantFrom(...FILTER_CHARS), fc.string({ maxLength: 3 })),
});

function mutate(base: string, edits: { op: string; at: number; text: string }[]): string {
  let s = base;
  for (const { op, at, text } of edits) {
    const i = s.length === 0 ? 0 : at % (s.length + 1);
    if (op === 'insert') s = s.slice(0, i) + text + s.slice(i);
    else if (op === 'delete') s = s.slice(0, i) + s.slice(i + 1 + (at % 3));
    else s = s.slice(0, i) + text + s.slice(i + text.length);
  }
  return s;
}

/** Grammar-valid filters with arbitrary literal contents: these must always compile. */
const quoteString = (s: string) => `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
const literal = fc.oneof(
  fc.string().map(quoteString),
  fc.integer().map(String),
  fc.tuple(fc.integer(), fc.nat(999)).map(([a, b]) => `${a}.${b}`),
  fc.constantFrom('true', 'false', 'null'),
);
const field = fc.constantFrom('title', 'votes', 'tags', 'tags:each', 'tags:length', 'author.name', 'title:lower',
  'comments_via_post.text', '@request.auth.id', '@request.body.tags', '@request.auth.missing');
const operator = fc.constantFrom('=', '!=', '>', '>=', '<', '<=', '~', '!~', '?=', '?!=', '?>', '?>=', '?<', '?<=', '?~', '?!~');
const comparison = fc.tuple(fc.oneof(field, literal), operator, fc.oneof(field, literal)).map((p) => p.join(' '));
const { filter: validFilter } = fc.letrec((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    fc.tuple(tie('filter'), fc.constantFrom('&&', '||'), tie('filter')).map(([a, j, b]) => `${a} ${j} ${b}`),
    tie('filter').map((f) => `(${f})`),
  ),
}));

describe('filter fuzzing', () => {
  it('the safety check itself catches inlined values and param mismatches', () => {
    expect(() => assertSafeSql({ sql: '"t"."title" IS \'x\'', params: [] })).toThrow();
    expect(() => assertSafeSql({ sql: '"t"."votes" > 5', params: [] })).toThrow();
    expect(() => assertSafeSql({ sql: '"t"."votes" > ?', params: [] })).toThrow();
    expect(() => assertSafeSql({ sql: '"t"."title" IS ? OR 1=1', params: ['x'] })).toThrow();
    expect(() => assertSafeSql({ sql: '"t"."title" IS ?; DROP TABLE t', params: ['x'] })).toThrow();
    expect(() => assertSafeSql({ sql: '"t"."title" IS ? -- x', params: ['x'] })).toThrow();
    expect(() => assertSafeSql({ sql: '"t"."title" IS "t"."zzz"', params: [] })).toThrow();
    expect(() => assertSafeSql({ sql: '("t"."title" IS ? AND NOT EXISTS (SELECT 1 FROM (SELECT value AS v FROM json_each(?)) AS __m1 WHERE __m1.v LIKE ? ESCAPE \'\\\'))', params: [1, 2, 3] })).not.toThrow();
  });

  it('random text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => void compileOrRefuse(text)), { numRuns: RUNS });
  });

  it('random text over the filter alphabet', () => {
    const soup = fc.array(fc.constantFrom(...FILTER_CHARS, ' title ', ' tags ', '&&', '||', '?=', '"x"'), { maxLength: 80 });
    fc.assert(fc.property(soup, (parts) => void compileOrRefuse(parts.join(''))), { numRuns: RUNS });
  });

  it('valid filters mutated by inserts, deletes and replacements', () => {
    const arb = fc.tuple(fc.constantFrom(...CORPUS), fc.array(mutation, { minLength: 1, maxLength: 6 }));
    fc.assert(fc.property(arb, ([base, edits]) => void compileOrRefuse(mutate(base, edits))), { numRuns: RUNS });
  });

  it('grammar-valid filters with arbitrary literals always compile safely', () => {
    fc.assert(
      fc.property(validFilter, (text) => {
        fc.pre(text.length <= 4096);
        assertSafeSql(compileFilter(text, testResolver));
      }),
      { numRuns: RUNS },
    );
  });

  it('any string literal round-trips into exactly one bound parameter', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 100 }), (s) => {
        expect(compileFilter(`title = ${quoteString(s)}`, testResolver)).toEqual({ sql: '"t"."title" IS ?', params: [s] });
      }),
      { numRuns: RUNS },
    );
  });

  it('deep and long inputs are refused, not overflowing the stack', () => {
    const deep = fc.tuple(fc.integer({ min: 17, max: 3000 }), fc.constantFrom('(', '((a', '(title = 1 && ('));
    fc.assert(
      fc.property(deep, ([n, unit]) => {
        expect(compileOrRefuse(unit.repeat(n) + 'title = 1' + ')'.repeat(n))).toBeNull();
      }),
      { numRuns: 200 },
    );
  });
});
