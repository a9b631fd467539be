import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/errors.ts';
import { tokenize, type Token } from './lexer.ts';

/** Compact view of tokens: identifiers by raw text, literals by value, others by type/op. */
const view = (t: Token) =>
  t.type === 'identifier' ? `id:${t.id.raw}` : t.type === 'literal' ? t.value : t.type === 'operator' ? t.op : t.type;

const lex = (text: string) => tokenize(text).map(view);

describe('tokenize', () => {
  it.each<[string, unknown[]]>([
    ['a = 1', ['id:a', '=', 1, 'eof']],
    ['a>=-2.5', ['id:a', '>=', -2.5, 'eof']],
    ['a?!~"x"', ['id:a', '?!~', 'x', 'eof']],
    ['(a != b)||c<d', ['lparen', 'id:a', '!=', 'id:b', 'rparen', 'or', 'id:c', '<', 'id:d', 'eof']],
    ['a=1&&b=TRUE', ['id:a', '=', 1, 'and', 'id:b', '=', true, 'eof']],
    ['x = false || y = Null', ['id:x', '=', false, 'or', 'id:y', '=', null, 'eof']],
    ['@request.auth.id = @collection.room_members.user', ['id:@request.auth.id', '=', 'id:@collection.room_members.user', 'eof']],
    ['@request.body.tags:each ?= tags:length', ['id:@request.body.tags:each', '?=', 'id:tags:length', 'eof']],
    ['a = 1 // trailing comment\n&& b = 2', ['id:a', '=', 1, 'and', 'id:b', '=', 2, 'eof']],
    ['// only a comment', ['eof']],
    ['   \t\r\n', ['eof']],
  ])('%j', (text, expected) => {
    expect(lex(text)).toEqual(expected);
  });

  it.each<[string, string]>([
    [`"a\\"b"`, 'a"b'],
    [`'a\\'b'`, "a'b"],
    [`"it's"`, "it's"],
    [`'say "hi"'`, 'say "hi"'],
    [`"back\\\\"`, 'back\\'],
    [`"50\\%"`, '50\\%'],
    [`"a\\nb"`, 'a\\nb'],
    [`""`, ''],
    [`"x -- ; DROP TABLE t"`, 'x -- ; DROP TABLE t'],
  ])('string %s → %j', (text, value) => {
    expect(tokenize(text)[0]).toMatchObject({ type: 'literal', value });
  });

  it('records positions', () => {
    expect(tokenize('ab = "x"').map((t) => t.pos)).toEqual([0, 3, 5, 8]);
  });

  it('parses the identifier modifier and path', () => {
    expect(tokenize('author.name:lower')[0]).toMatchObject({
      type: 'identifier',
      id: { path: ['author', 'name'], modifier: 'lower', raw: 'author.name:lower' },
    });
    expect(tokenize('@collection.users:u.email')[0]).toMatchObject({
      id: { path: ['@collection', 'users:u', 'email'], raw: '@collection.users:u.email' },
    });
  });

  it.each<[string, RegExp]>([
    ['a = "x', /unterminated string at position 4/],
    ['a = 1.', /invalid number "1\." at position 4/],
    ['a = 12abc', /invalid number/],
    ['a == 1', /unknown operator "==" at position 2/],
    ['a =! 1', /unknown operator "=!"/],
    ['a & b', /unexpected character "&" at position 2/],
    ['a = 1 / 2', /unexpected character "\/"/],
    ['a;b = 1', /unexpected character ";" at position 1/],
    ['a = `x`', /unexpected character "`"/],
    ['title:upper = 1', /unknown modifier ":upper" in "title:upper"/],
    ['a:lower:each = 1', /unknown modifier/],
    ['a..b = 1', /invalid identifier "a\.\.b"/],
    ['a. = 1', /invalid identifier/],
    ['a@b = 1', /invalid identifier/],
    ['@ = 1', /invalid identifier/],
    ['a.b:lower.c = 1', /invalid identifier/],
    ['a = 1' + '9'.repeat(400), /invalid number/],
  ])('rejects %j', (text, message) => {
    let caught: unknown;
    try {
      tokenize(text);
    } catch (err) {
      caught = err;
    }
    expect(isAppError(caught) && caught.code).toBe('bad_request');
    expect((caught as Error).message).toMatch(/^Invalid filter: /);
    expect((caught as Error).message).toMatch(message);
  });
});
