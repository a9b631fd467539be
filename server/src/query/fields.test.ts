import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.ts';
import { applyFields } from './apply-fields.ts';
import { parseFields } from './fields.ts';

const record = {
  id: 'p1',
  title: 'Hello',
  description: '<p>Some <b>bold</b> text</p><p>and more words here</p>',
  data: { a: 1, b: { c: 2, d: 3 } },
  expand: {
    author: { id: 'u1', name: 'Ann', email: 'a@x.io', expand: { team: { id: 't1', name: 'Core' } } },
    comments_via_post: [
      { id: 'c1', text: 'first', post: 'p1' },
      { id: 'c2', text: 'second', post: 'p1' },
    ],
  },
};

const pick = (fields: string, value: unknown = record) => applyFields(value, parseFields(fields));

describe('applyFields', () => {
  it.each<[string, unknown]>([
    ['id,title', { id: 'p1', title: 'Hello' }],
    [' id , title ,', { id: 'p1', title: 'Hello' }],
    ['expand.author.name', { expand: { author: { name: 'Ann' } } }],
    ['id,expand.comments_via_post.text', { id: 'p1', expand: { comments_via_post: [{ text: 'first' }, { text: 'second' }] } }],
    ['expand.author.expand.team.name', { expand: { author: { expand: { team: { name: 'Core' } } } } }],
    ['data.b.c', { data: { b: { c: 2 } } }],
    ['expand.author.*', { expand: { author: record.expand.author } }],
    ['expand.author,expand.author.name', { expand: { author: record.expand.author } }],
    ['title.nope', { title: 'Hello' }],
    ['missing', {}],
    ['title:excerpt(3)', { title: 'Hel' }],
    ['title:excerpt(3,true)', { title: 'Hel...' }],
    ['description:excerpt(14, true)', { description: 'Some bold text...' }],
    ['description:excerpt(200)', { description: 'Some bold text and more words here' }],
    ['data:excerpt(2)', { data: record.data }],
  ])('%j', (fields, expected) => {
    expect(pick(fields)).toEqual(expected);
  });

  it('`*` keeps every key not named more precisely', () => {
    const out = pick('*,expand.author.name') as Record<string, unknown>;
    expect(out).toEqual({ ...record, expand: { author: { name: 'Ann' } } });
    expect(pick('*:excerpt(2)')).toMatchObject({ id: 'p1', title: 'He', data: record.data });
  });

  it('applies to arrays of records and leaves the input untouched', () => {
    const before = JSON.stringify(record);
    expect(pick('id', [record, { id: 'p2', title: 'x' }, 'scalar'])).toEqual([{ id: 'p1' }, { id: 'p2' }, 'scalar']);
    expect(JSON.stringify(record)).toBe(before);
  });

  it('no projection for empty text, and json `__proto__` keys stay plain data', () => {
    expect(parseFields('')).toBeNull();
    expect(applyFields(record, null)).toBe(record);
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "id": "x"}') as Record<string, unknown>;
    const out = applyFields(hostile, parseFields('__proto__.polluted,id')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'id']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('parseFields errors', () => {
  it.each<[string, RegExp]>([
    ['id,ti tle', /^Invalid fields: invalid field path "ti tle"$/],
    ['expand..name', /invalid field path/],
    ['*.name', /invalid field path "\*\.name"/],
    ['title;DROP', /invalid field path/],
    ['title:upper', /unknown modifier "upper" in "title:upper"/],
    ['title:excerpt', /invalid excerpt in "title:excerpt"/],
    ['title:excerpt(0)', /maxLength must be > 0/],
    ['title:excerpt(-5)', /invalid excerpt/],
    ['title:excerpt(10,maybe)', /invalid excerpt/],
    ['title:excerpt(1,2,3)', /invalid excerpt/],
    ['title:excerpt(10', /missing "\)"/],
    ['title)', /unbalanced "\)" at position 5/],
    ['x'.repeat(2049), /longer than 2048 characters/],
  ])('rejects %j', (text, message) => {
    let caught: unknown;
    try {
      parseFields(text);
    } catch (err) {
      caught = err;
    }
    expect(caught instanceof AppError && caught.code).toBe('bad_request');
    expect((caught as Error).message).toMatch(message);
  });
});
