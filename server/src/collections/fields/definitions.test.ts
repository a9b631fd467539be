import { describe, expect, it } from 'vitest';
import type { Field, FieldType as FieldTypeName } from '../model.ts';
import { makeField } from '../system-fields.ts';
import { fieldTypeOf } from './index.ts';
import { compilePattern } from './random-pattern.ts';

const check = (type: FieldTypeName, props: Partial<Field>) => {
  const f = makeField(type, 'f', props);
  return fieldTypeOf(f).validateDefinition(f);
};

describe('validateDefinition', () => {
  it.each<[string, FieldTypeName, Partial<Field>, string | null]>([
    ['text defaults', 'text', {}, null],
    ['text negative min', 'text', { min: -1 }, 'min'],
    ['text max below min', 'text', { min: 5, max: 3 }, 'max'],
    ['text bad regex', 'text', { pattern: '([' }, 'pattern'],
    ['text autogenerate unsupported', 'text', { autogeneratePattern: '(a|b)' }, 'autogeneratePattern'],
    ['text autogenerate violating max', 'text', { max: 3, autogeneratePattern: '[a-z]{5}' }, 'autogeneratePattern'],
    ['text primaryKey on other name', 'text', { primaryKey: true }, 'name'],
    ['number max < min', 'number', { min: 5, max: 1 }, 'max'],
    ['number string min', 'number', { min: '3' }, 'min'],
    ['number onlyInt with decimal min', 'number', { onlyInt: true, min: 1.5 }, 'min'],
    ['editor negative maxSize', 'editor', { maxSize: -1 }, 'maxSize'],
    ['email both lists', 'email', { onlyDomains: ['a.com'], exceptDomains: ['b.com'] }, 'onlyDomains'],
    ['email bad domain', 'email', { onlyDomains: ['not a domain'] }, 'onlyDomains'],
    ['date bad min', 'date', { min: 'soon' }, 'min'],
    ['date max before min', 'date', { min: '2024-02-01', max: '2024-01-01' }, 'max'],
    ['autodate neither', 'autodate', { onCreate: false, onUpdate: false }, 'onCreate'],
    ['autodate ok', 'autodate', { onCreate: true }, null],
    ['select no values', 'select', { values: [] }, 'values'],
    ['select duplicate values', 'select', { values: ['a', 'a'] }, 'values'],
    ['select maxSelect above values', 'select', { values: ['a'], maxSelect: 2 }, 'maxSelect'],
    ['relation missing collection', 'relation', { collectionId: '' }, 'collectionId'],
    ['relation maxSelect < minSelect', 'relation', { collectionId: 'x', minSelect: 3, maxSelect: 2 }, 'maxSelect'],
    ['file bad thumb', 'file', { thumbs: ['big'] }, 'thumbs'],
    ['json bad maxSize', 'json', { maxSize: 1.5 }, 'maxSize'],
    ['password max above 71', 'password', { max: 100 }, 'max'],
  ])('%s', (_label, type, props, badKey) => {
    const errors = check(type, props);
    if (badKey === null) expect(errors).toEqual({});
    else expect(Object.keys(errors)).toContain(badKey);
  });
});

describe('autogenerate patterns', () => {
  it.each([
    ['[a-z0-9]{15}', /^[a-z0-9]{15}$/],
    ['^[A-Z]{2}-\\d{4}$', /^[A-Z]{2}-\d{4}$/],
    ['x[ab]?y+', /^x[ab]?y+$/],
    ['[\\w]{3,5}', /^\w{3,5}$/],
  ])('%s', (pattern, shape) => {
    const gen = compilePattern(pattern);
    if ('error' in gen) throw new Error(gen.error);
    for (let i = 0; i < 50; i++) expect(gen.generate()).toMatch(shape);
  });

  it.each(['(a)', 'a|b', '[^a]', '[a-z]{2000}', '\\s', '[z-a]'])('refuses %s', (pattern) => {
    expect('error' in compilePattern(pattern)).toBe(true);
  });
});
