import { describe, expect, it } from 'vitest';
import { likePattern } from './like-pattern.ts';
import { asOperand, joinSql, raw, sql } from './sql-fragment.ts';

describe('sql tag', () => {
  it('keeps params in textual order', () => {
    const a = { sql: 'a = ?', params: [1] };
    const b = { sql: 'b IN (?, ?)', params: [2, 3] };
    expect(sql`(${b}) OR ${a} AND ${raw('x')}`).toEqual({ sql: '(b IN (?, ?)) OR a = ? AND x', params: [2, 3, 1] });
    expect(joinSql([a, b, a], ' | ')).toEqual({ sql: 'a = ? | b IN (?, ?) | a = ?', params: [1, 2, 3, 1] });
  });
});

describe('asOperand', () => {
  it.each<[string, string]>([
    ['"t"."title"', '"t"."title"'],
    ['t.title', 't.title'],
    ['"we""ird"."x"', '"we""ird"."x"'],
    ['LOWER("t"."x")', 'LOWER("t"."x")'],
    ['(SELECT 1 LIMIT 1)', '(SELECT 1 LIMIT 1)'],
    ["(a = ')(')", "(a = ')(')"],
    ['(a) || (b)', '((a) || (b))'],
    ['LOWER(a) || b', '(LOWER(a) || b)'],
    ['NOT(a)', '(NOT(a))'],
    ['not (a)', '(not (a))'],
    ['a AND b', '(a AND b)'],
    ['?', '(?)'],
  ])('%s → %s', (input, expected) => {
    expect(asOperand({ sql: input, params: [] }).sql).toBe(expected);
  });
});

describe('likePattern', () => {
  it.each<[string, string]>([
    ['abc', '%abc%'],
    ['', '%%'],
    ['a_b', '%a\\_b%'],
    ['a\\b', '%a\\\\b%'],
    ['a\\', '%a\\\\%'],
    ['50\\%', '%50\\%%'],
    ['a\\_b', '%a\\_b%'],
    ['abc%', 'abc%'],
    ['%a_c', '%a_c'],
    ['\\\\%', '\\\\%'],
  ])('%j → %j', (value, pattern) => {
    expect(likePattern(value)).toBe(pattern);
  });
});
