import { describe, expect, it } from 'vitest';
import { fieldTypeOf } from './index.ts';
import { err, field, ok, run } from './normalize-cases.ts';

describe('select', () => {
  const single = field('select', { values: ['a', 'b', 'c,d'], maxSelect: 1 });
  const multi = field('select', { values: ['a', 'b', 'c'], maxSelect: 2 });
  run([
    ['single', single, 'a', ok('a')],
    ['single empty', single, '', ok('')],
    ['single array of one', single, ['b'], ok('b')],
    ['single too many', single, ['a', 'b'], err('validation_too_many_values')],
    ['single invalid', single, 'z', err('validation_invalid_value')],
    ['value with comma kept whole', single, 'c,d', ok('c,d')],
    ['multi array', multi, ['a', 'b'], ok('["a","b"]')],
    ['multi dedup', multi, ['a', 'a'], ok('["a"]')],
    ['multi comma form', multi, 'a,b', ok('["a","b"]')],
    ['multi JSON string', multi, '["b"]', ok('["b"]')],
    ['multi empty', multi, [], ok('[]')],
    ['multi too many', multi, ['a', 'b', 'c'], err('validation_too_many_values')],
    ['multi invalid', multi, ['a', 'z'], err('validation_invalid_value')],
    ['multi object item', multi, [{}], err('validation_unsupported_value_type')],
    ['required', field('select', { values: ['a'], required: true }), [], err('validation_required')],
  ]);
});

describe('relation', () => {
  const single = field('relation', { collectionId: 'x', maxSelect: 1 });
  const multi = field('relation', { collectionId: 'x', maxSelect: 3, minSelect: 2 });
  run([
    ['single id', single, 'abc', ok('abc')],
    ['multi ids', multi, ['a', 'b'], ok('["a","b"]')],
    ['multi comma', multi, 'a, b', ok('["a","b"]')],
    ['not enough', multi, ['a'], err('validation_not_enough_values')],
    ['too many', multi, ['a', 'b', 'c', 'd'], err('validation_too_many_values')],
    ['object refused', single, { id: 'a' }, err('validation_unsupported_value_type')],
    ['required', field('relation', { collectionId: 'x', required: true }), '', err('validation_required')],
  ]);
});

describe('file', () => {
  run([
    ['single name', field('file'), 'a.png', ok('a.png')],
    ['multi names', field('file', { maxSelect: 2 }), ['a.png', 'b.png'], ok('["a.png","b.png"]')],
    ['too many', field('file', { maxSelect: 2 }), ['a', 'b', 'c'], err('validation_too_many_values')],
  ]);
});

describe('json', () => {
  run([
    ['object', field('json'), { a: [1, 2] }, ok('{"a":[1,2]}')],
    ['array', field('json'), [1, 'x'], ok('[1,"x"]')],
    ['number', field('json'), 12, ok('12')],
    ['JSON text', field('json'), '{"a":1}', ok('{"a":1}')],
    ['plain string', field('json'), 'hello', ok('"hello"')],
    ['broken JSON text is a string', field('json'), '{oops', ok('"{oops"')],
    ['null', field('json'), null, ok(null)],
    ['size limit', field('json', { maxSize: 10 }), { long: 'xxxxxxxxxx' }, err('validation_json_size_limit')],
    ['bigint is not JSON', field('json'), 10n, err('validation_invalid_json')],
    ['required empty object', field('json', { required: true }), {}, err('validation_required')],
  ]);
});

describe('password', () => {
  run([
    ['plaintext passes through', field('password', { min: 8 }), 'secret123', ok('secret123')],
    ['too short', field('password', { min: 8 }), 'short', err('validation_min_text_constraint')],
    ['too long', field('password'), 'x'.repeat(72), err('validation_max_text_constraint')],
    ['not a string', field('password'), 12345678, err('validation_unsupported_value_type')],
    ['required', field('password', { required: true }), '', err('validation_required')],
  ]);
  it('is never serialised', () => {
    expect(fieldTypeOf(field('password')).toJSON('$hash', field('password'))).toBeUndefined();
  });
});

describe('toJSON', () => {
  it.each([
    ['bool', field('bool'), 1, true],
    ['bool 0', field('bool'), 0, false],
    ['number', field('number'), 12, 12],
    ['json text', field('json'), '{"a":1}', { a: 1 }],
    ['json numeric affinity', field('json'), 12, 12],
    ['json null', field('json'), null, null],
    ['multi select', field('select', { values: ['a'], maxSelect: 2 }), '["a"]', ['a']],
    ['multi empty', field('relation', { maxSelect: 5 }), '[]', []],
    ['single relation', field('relation'), 'abc', 'abc'],
    ['text null', field('text'), null, ''],
  ])('%s', (_l, f, stored, json) => {
    expect(fieldTypeOf(f).toJSON(stored, f)).toEqual(json);
  });
});

describe('zeroValue and columns', () => {
  it.each([
    ['text', field('text'), '', "TEXT DEFAULT '' NOT NULL"],
    ['number', field('number'), 0, 'NUMERIC DEFAULT 0 NOT NULL'],
    ['bool', field('bool'), 0, 'BOOLEAN DEFAULT FALSE NOT NULL'],
    ['json', field('json'), null, 'JSON DEFAULT NULL'],
    ['single select', field('select', { values: ['a'] }), '', "TEXT DEFAULT '' NOT NULL"],
    ['multi relation', field('relation', { maxSelect: 2 }), '[]', "JSON DEFAULT '[]' NOT NULL"],
    ['multi file', field('file', { maxSelect: 9 }), '[]', "JSON DEFAULT '[]' NOT NULL"],
  ])('%s', (_l, f, zero, column) => {
    expect(fieldTypeOf(f).zeroValue(f)).toEqual(zero);
    expect(fieldTypeOf(f).columnDefinition(f)).toBe(column);
  });
});
