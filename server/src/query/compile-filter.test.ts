import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/errors.ts';
import type { SqlValue } from './resolver.ts';
import { compileFilter } from './compile-filter.ts';
import { parseFilter } from './parser.ts';
import { AUTH_ID, AUTHOR_NAME, BODY_TAGS, COMMENT_TEXTS, TAGS_SET, testResolver } from './test-resolver.ts';

const T = (c: string) => `"t"."${c}"`;
const ESC = "ESCAPE '\\'";
const TAGS = `(${TAGS_SET})`;
const BODY = '(SELECT value AS v FROM json_each(?))';
const BODY_JSON = JSON.stringify(BODY_TAGS);

type Row = [filter: string, sql: string, params: SqlValue[]];

const compile = (text: string) => compileFilter(text, testResolver);

describe('compileFilter: scalar operators', () => {
  it.each<Row>([
    ['title = "x"', `${T('title')} IS ?`, ['x']],
    ['title != "x"', `${T('title')} IS NOT ?`, ['x']],
    ['votes > 3', `${T('votes')} > ?`, [3]],
    ['votes >= -2.5', `${T('votes')} >= ?`, [-2.5]],
    ['votes < 0', `${T('votes')} < ?`, [0]],
    ['votes <= 10', `${T('votes')} <= ?`, [10]],
    ['pinned = true', `${T('pinned')} IS ?`, [1]],
    ['pinned != false', `${T('pinned')} IS NOT ?`, [0]],
    ['"x" = title', `? IS ${T('title')}`, ['x']],
    ['title = body', `${T('title')} IS ${T('body')}`, []],
    ['votes > null', `${T('votes')} > ?`, [null]],
    // `?op` on a single-valued operand is the plain op
    ['title ?= "x"', `${T('title')} IS ?`, ['x']],
    ['votes ?> 1', `${T('votes')} > ?`, [1]],
  ])('%s', (filter, sql, params) => {
    expect(compile(filter)).toEqual({ sql, params });
  });
});

describe('compileFilter: null and empty string are equivalent for = and !=', () => {
  it.each<Row>([
    ['title = null', `(${T('title')} IS NULL OR ${T('title')} = '')`, []],
    ['title = ""', `(${T('title')} IS NULL OR ${T('title')} = '')`, []],
    ["title = ''", `(${T('title')} IS NULL OR ${T('title')} = '')`, []],
    ['null = title', `(${T('title')} IS NULL OR ${T('title')} = '')`, []],
    ['title != null', `(${T('title')} IS NOT NULL AND ${T('title')} != '')`, []],
    ['title ?!= ""', `(${T('title')} IS NOT NULL AND ${T('title')} != '')`, []],
    // a resolved constant that is empty behaves the same; the other side is bound twice
    ['@request.auth.missing = ""', `(? IS NULL OR ? = '')`, [null, null]],
    ['@request.auth.id != ""', `(? IS NOT NULL AND ? != '')`, [AUTH_ID, AUTH_ID]],
    ['title = @request.auth.missing', `(${T('title')} IS NULL OR ${T('title')} = '')`, []],
    ['author.name = null', `(${AUTHOR_NAME} IS NULL OR ${AUTHOR_NAME} = '')`, ['member', 'member']],
    // zero and false are values, not "empty"
    ['votes = 0', `${T('votes')} IS ?`, [0]],
    ['pinned = false', `${T('pinned')} IS ?`, [0]],
  ])('%s', (filter, sql, params) => {
    expect(compile(filter)).toEqual({ sql, params });
  });
});

describe('compileFilter: LIKE', () => {
  it.each<Row>([
    ['title ~ "abc"', `${T('title')} LIKE ? ${ESC}`, ['%abc%']],
    ['title !~ "abc"', `${T('title')} NOT LIKE ? ${ESC}`, ['%abc%']],
    ['title ~ "a_b"', `${T('title')} LIKE ? ${ESC}`, ['%a\\_b%']],
    ['title ~ "a\\\\b"', `${T('title')} LIKE ? ${ESC}`, ['%a\\\\b%']],
    ['title ~ "abc%"', `${T('title')} LIKE ? ${ESC}`, ['abc%']],
    ['title ~ "a_c%"', `${T('title')} LIKE ? ${ESC}`, ['a_c%']],
    ['title ~ "50\\%"', `${T('title')} LIKE ? ${ESC}`, ['%50\\%%']],
    ['title ~ ""', `${T('title')} LIKE ? ${ESC}`, ['%%']],
    ['title ~ null', `${T('title')} LIKE ? ${ESC}`, ['%%']],
    ['votes ~ 12', `${T('votes')} LIKE ? ${ESC}`, ['%12%']],
    ['pinned ~ true', `${T('pinned')} LIKE ? ${ESC}`, ['%1%']],
    ['title ?~ "x"', `${T('title')} LIKE ? ${ESC}`, ['%x%']],
    ['title ~ @request.auth.id', `${T('title')} LIKE ? ${ESC}`, ['%u\\_123%']],
    ['title ~ body', `${T('title')} LIKE ('%' || ${T('body')} || '%') ${ESC}`, []],
    ['"abc" ~ title', `? LIKE ('%' || ${T('title')} || '%') ${ESC}`, ['abc']],
  ])('%s', (filter, sql, params) => {
    expect(compile(filter)).toEqual({ sql, params });
  });
});

describe('compileFilter: resolver results', () => {
  it.each<Row>([
    ['title:lower = "x"', `LOWER(${T('title')}) IS ?`, ['x']],
    ['tags:length > 2', `json_array_length(${T('tags')}) > ?`, [2]],
    ['@request.auth.id = author', `? IS ${T('author')}`, [AUTH_ID]],
    ['@request.body.title:isset = true', '? IS ?', [1, 1]],
    // the resolver's own params come where its SQL is, before the literal's
    ['author.name = "bob"', `${AUTHOR_NAME} IS ?`, ['member', 'bob']],
    ['"bob" = author.name', `? IS ${AUTHOR_NAME}`, ['bob', 'member']],
  ])('%s', (filter, sql, params) => {
    expect(compile(filter)).toEqual({ sql, params });
  });
});

describe('compileFilter: multi-valued operands (sets)', () => {
  const any = (alias: string, where: string, from = TAGS) => `EXISTS (SELECT 1 FROM ${from} AS ${alias} WHERE ${where})`;
  it.each<Row>([
    ['tags ?= "x"', any('__m1', '__m1.v IS ?'), ['x']],
    ['tags ?!= "x"', any('__m1', '__m1.v IS NOT ?'), ['x']],
    ['tags ?> 1', any('__m1', '__m1.v > ?'), [1]],
    ['tags ?~ "x"', any('__m1', `__m1.v LIKE ? ${ESC}`), ['%x%']],
    ['tags ?!~ "x"', any('__m1', `__m1.v NOT LIKE ? ${ESC}`), ['%x%']],
    ['"x" ?= tags', any('__m1', '? IS __m1.v'), ['x']],
    ['tags:each ?= "x"', any('__m1', '__m1.v IS ?'), ['x']],
    // plain positive op: at least one item, and no item fails
    ['tags = "x"', `(${any('__m1', '__m1.v IS ?')} AND NOT ${any('__m2', '(__m2.v IS ?) IS NOT TRUE')})`, ['x', 'x']],
    ['tags > 3', `(${any('__m1', '__m1.v > ?')} AND NOT ${any('__m2', '(__m2.v > ?) IS NOT TRUE')})`, [3, 3]],
    ['tags ~ "a"', `(${any('__m1', `__m1.v LIKE ? ${ESC}`)} AND NOT ${any('__m2', `(__m2.v LIKE ? ${ESC}) IS NOT TRUE`)})`, ['%a%', '%a%']],
    // plain negative op: no item equal / like
    ['tags != "x"', `NOT ${any('__m1', '__m1.v IS ?')}`, ['x']],
    ['tags !~ "x"', `NOT ${any('__m1', `__m1.v LIKE ? ${ESC}`)}`, ['%x%']],
    ['tags != null', `NOT ${any('__m1', "(__m1.v IS NULL OR __m1.v = '')")}`, []],
    // a multi-valued constant is a set over one bound JSON array
    ['@request.body.tags ?= "a"', any('__m1', '__m1.v IS ?', BODY), [BODY_JSON, 'a']],
    ['title ?= @request.body.tags', any('__m1', `${T('title')} IS __m1.v`, BODY), [BODY_JSON]],
    ['@request.body.tags ?= author.name', any('__m1', `__m1.v IS ${AUTHOR_NAME}`, BODY), [BODY_JSON, 'member']],
    // two sets: item pairs
    ['tags ?= @request.body.tags', `EXISTS (SELECT 1 FROM ${TAGS} AS __m1, ${BODY} AS __m2 WHERE __m1.v IS __m2.v)`, [BODY_JSON]],
    ['comments_via_post.text ?~ "hi"', any('__m1', `__m1.v LIKE ? ${ESC}`, `(${COMMENT_TEXTS})`), [0, '%hi%']],
  ])('%s', (filter, sql, params) => {
    expect(compile(filter)).toEqual({ sql, params });
  });

  it('two sets with a plain op: some pair matches and no pair fails', () => {
    expect(compile('tags = @request.body.tags')).toEqual({
      sql:
        `(EXISTS (SELECT 1 FROM ${TAGS} AS __m1, ${BODY} AS __m2 WHERE __m1.v IS __m2.v)` +
        ` AND NOT EXISTS (SELECT 1 FROM ${TAGS} AS __m3, ${BODY} AS __m4 WHERE (__m3.v IS __m4.v) IS NOT TRUE))`,
      params: [BODY_JSON, BODY_JSON],
    });
  });

  it('uses a fresh alias per set occurrence and can share a counter', () => {
    const { sql } = compile('tags ?= "a" && (tags ?= "b" || tags != "c")');
    expect(sql.match(/AS __m\d+/g)).toEqual(['AS __m1', 'AS __m2', 'AS __m3']);
    const counter = { n: 10 };
    expect(compileFilter('tags ?= "a"', testResolver, { counter }).sql).toContain('AS __m11 ');
    expect(counter.n).toBe(11);
  });
});

describe('compileFilter: grouping', () => {
  it.each<Row>([
    ['title = "a" && votes > 1', `(${T('title')} IS ? AND ${T('votes')} > ?)`, ['a', 1]],
    ['title = "a" || votes > 1 && votes < 5', `(${T('title')} IS ? OR (${T('votes')} > ? AND ${T('votes')} < ?))`, ['a', 1, 5]],
    ['(title = "a" || votes > 1) && votes < 5', `((${T('title')} IS ? OR ${T('votes')} > ?) AND ${T('votes')} < ?)`, ['a', 1, 5]],
    ['', 'TRUE', []],
    ['  // just a comment', 'TRUE', []],
  ])('%s', (filter, sql, params) => {
    expect(compile(filter)).toEqual({ sql, params });
  });

  it('accepts a parsed AST or null and leaves the AST untouched', () => {
    const ast = parseFilter('tags ?= "a" && author.name ~ "b"');
    const frozen = JSON.stringify(ast);
    const first = compileFilter(ast, testResolver);
    expect(compileFilter(ast, testResolver)).toEqual(first);
    expect(JSON.stringify(ast)).toBe(frozen);
    expect(compileFilter(null, testResolver)).toEqual({ sql: 'TRUE', params: [] });
  });

  it('wraps resolver expressions that are not atomic', () => {
    const resolver = { resolve: () => ({ kind: 'expr' as const, sql: '"t"."a" || "t"."b"', params: [] }) };
    expect(compileFilter('x = "ab"', resolver).sql).toBe('("t"."a" || "t"."b") IS ?');
    const notExpr = { resolve: () => ({ kind: 'expr' as const, sql: 'NOT("t"."a")', params: [] }) };
    expect(compileFilter('x = 1', notExpr).sql).toBe('(NOT("t"."a")) IS ?');
  });
});

describe('compileFilter: resolver errors pass through', () => {
  it('unknown field is a 400 naming it', () => {
    let caught: unknown;
    try {
      compile('title = 1 && nope.deep = 2');
    } catch (err) {
      caught = err;
    }
    expect(isAppError(caught) && caught.code).toBe('bad_request');
    expect((caught as Error).message).toBe('Unknown field "nope.deep"');
  });
});
