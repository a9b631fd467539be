/** Hostile and oversized filters: every one is either compiled safely or refused with a 400. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.ts';
import { compileFilter } from './compile-filter.ts';
import { testResolver } from './test-resolver.ts';

function rejection(text: string): AppError {
  try {
    compileFilter(text, testResolver);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(text.slice(0, 60))} to be rejected`);
}

describe('SQL in string literals stays data', () => {
  it.each([
    `'; DROP TABLE posts; --`,
    `" OR 1=1 --`,
    `x' OR '1'='1`,
    `\\'); DELETE FROM users; /*`,
    `*/ UNION SELECT password FROM users --`,
    `\u0000\u001f\u2028`,
  ])('%j', (payload) => {
    const quoted = `"${payload.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
    const { sql, params } = compileFilter(`title = ${quoted} && votes > -1`, testResolver);
    expect(sql).toBe('("t"."title" IS ? AND "t"."votes" > ?)');
    expect(params).toEqual([payload, -1]);
  });
});

describe('refused with bad_request', () => {
  it.each<[string, string, RegExp]>([
    ['semicolon in identifier', 'title;DROP TABLE posts = 1', /unexpected character ";"/],
    ['statement after a filter', 'title = 1; DROP TABLE posts', /unexpected character ";"/],
    ['SQL comment in identifier', 'title--x = 1', /unexpected character "-"/],
    ['block comment', 'title/**/= 1', /unexpected character "\/"/],
    ['quoted identifier', '"t"."title" = 1', /unexpected character "\." at position 3/],
    ['backtick identifier', '`title` = 1', /unexpected character "`"/],
    ['bracket identifier', '[title] = 1', /unexpected character "\["/],
    ['quote inside identifier', 'ti"tle = 1', /unexpected string "tle = 1"|unterminated string/],
    ['SQL keyword operator', 'title LIKE "x"', /unexpected "LIKE"/],
    ['subquery', 'title = (SELECT 1)', /unexpected "\("/],
    ['unbalanced open', '((title = 1)', /missing "\)"/],
    ['unbalanced close', 'title = 1))', /unexpected "\)"/],
    ['lone paren', '(', /unexpected end of filter/],
    ['unknown modifier', 'title:upper = "x"', /unknown modifier ":upper"/],
    ['modifier injection', 'title:lower) OR (1 = 1', /unexpected "\)" at position 11/],
    ['modifier with SQL', 'title:lower;x = 1', /unexpected character ";"/],
    ['NUL in identifier', 'title\u0000 = 1', /unexpected character/],
    ['non-ASCII identifier', 'tïtle = 1', /unexpected character "ï"/],
    ['unknown field', 'passwordHash = "x"', /Unknown field "passwordHash"/],
    ['20 kB filter', `title = "${'x'.repeat(20_000)}"`, /longer than 4096 characters/],
    ['deep nesting', '('.repeat(500) + 'title = 1' + ')'.repeat(500), /nested deeper than 16 levels/],
    ['deep unbalanced nesting', '('.repeat(1500), /nested deeper than 16 levels/],
    ['too many comparisons', Array.from({ length: 201 }, () => 'votes>1').join('||'), /more than 200 comparisons/],
    ['huge number', `votes > ${'9'.repeat(330)}`, /invalid number/],
    ['exponent number', 'votes > 1e9', /invalid number/],
  ])('%s', (_name, text, message) => {
    const err = rejection(text);
    expect(err.code).toBe('bad_request');
    expect(err.message).toMatch(message);
    expect(err.message.length).toBeLessThan(200);
  });
});
