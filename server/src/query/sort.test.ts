import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.ts';
import { compileSort, parseSort } from './sort.ts';
import { AUTHOR_NAME, testResolver } from './test-resolver.ts';

const compile = (text: string, rowidSql?: string) =>
  compileSort(parseSort(text), testResolver, rowidSql === undefined ? {} : { rowidSql });

function rejection(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

describe('parseSort', () => {
  it('parses directions, specials and modifiers', () => {
    expect(parseSort('-created, +title,@random,-@rowid,title:lower')).toEqual([
      { identifier: { path: ['created'], raw: 'created' }, desc: true },
      { identifier: { path: ['title'], raw: 'title' }, desc: false },
      { special: 'random', desc: false },
      { special: 'rowid', desc: true },
      { identifier: { path: ['title'], modifier: 'lower', raw: 'title:lower' }, desc: false },
    ]);
    expect(parseSort('')).toEqual([]);
    expect(parseSort('  ')).toEqual([]);
  });

  it.each<[string, RegExp]>([
    ['title,', /^Invalid sort: empty sort field at position 6$/],
    ['-', /empty sort field at position 0/],
    ['title;DROP TABLE x', /invalid identifier "title;DROP TABLE x"/],
    ['title DESC', /invalid identifier/],
    ['"t"."title"', /invalid identifier/],
    ['title--', /invalid identifier/],
    ['title:upper', /unknown modifier ":upper"/],
    ['a,b,c,d,e,f,g,h,i', /more than 8 sort fields/],
    ['x'.repeat(256), /longer than 255 characters/],
  ])('rejects %j', (text, message) => {
    const err = rejection(() => parseSort(text));
    expect(err.code).toBe('bad_request');
    expect(err.message).toMatch(message);
  });
});

describe('compileSort', () => {
  it.each<[string, string, unknown[]]>([
    ['-created,title', '"t"."created" DESC, "t"."title" ASC', []],
    ['title:lower', 'LOWER("t"."title") ASC', []],
    ['tags:length', 'json_array_length("t"."tags") ASC', []],
    ['@random', 'RANDOM()', []],
    ['-@random', 'RANDOM()', []],
    ['-@rowid', '_rowid_ DESC', []],
    ['author.name,-votes', `${AUTHOR_NAME} ASC, "t"."votes" DESC`, ['member']],
    ['', '', []],
  ])('%j', (text, sql, params) => {
    expect(compile(text)).toEqual({ sql, params });
  });

  it('qualifies @rowid with the given SQL', () => {
    expect(compile('@rowid,-title', '"t"._rowid_')).toEqual({ sql: '"t"._rowid_ ASC, "t"."title" DESC', params: [] });
  });

  it.each<[string, RegExp]>([
    ['tags', /^Invalid sort: cannot sort by "tags" \(not a single-valued field\)$/],
    ['tags:each', /cannot sort by "tags:each"/],
    ['comments_via_post.text', /cannot sort by/],
    ['@request.auth.id', /cannot sort by "@request.auth.id"/],
    ['nope', /^Unknown field "nope"$/],
  ])('refuses %j', (text, message) => {
    const err = rejection(() => compile(text));
    expect(err.code).toBe('bad_request');
    expect(err.message).toMatch(message);
  });

  it('enforces the field limit on hand-built items too', () => {
    const items = Array.from({ length: 9 }, () => ({ special: 'random' as const, desc: false }));
    expect(rejection(() => compileSort(items, testResolver)).message).toMatch(/more than 8/);
  });
});
