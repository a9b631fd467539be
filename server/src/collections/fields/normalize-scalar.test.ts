import { describe, expect, it } from 'vitest';
import { makeField } from '../system-fields.ts';
import { err, field, normalize, ok, run } from './normalize-cases.ts';

describe('text', () => {
  run([
    ['string', field('text'), 'hello', ok('hello')],
    ['number cast', field('text'), 12, ok('12')],
    ['not sent', field('text'), undefined, ok('')],
    ['null', field('text'), null, ok('')],
    ['object refused', field('text'), { a: 1 }, err('validation_unsupported_value_type')],
    ['array refused', field('text'), ['a'], err('validation_unsupported_value_type')],
    ['required', field('text', { required: true }), '', err('validation_required')],
    ['min', field('text', { min: 3 }), 'ab', err('validation_min_text_constraint')],
    ['min counts characters', field('text', { min: 3 }), 'äöü', ok('äöü')],
    ['max', field('text', { max: 3 }), 'abcd', err('validation_max_text_constraint')],
    ['default max 5000', field('text'), 'x'.repeat(5001), err('validation_max_text_constraint')],
    ['pattern ok', field('text', { pattern: '^[a-z]+$' }), 'abc', ok('abc')],
    ['pattern bad', field('text', { pattern: '^[a-z]+$' }), 'ab1', err('validation_invalid_format')],
    ['min ignored when empty', field('text', { min: 3 }), '', ok('')],
  ]);

  it('messages follow PocketBase', () => {
    expect(normalize(field('text', { min: 3 }), 'ab')).toEqual({
      error: { code: 'validation_min_text_constraint', message: 'Must be at least 3 character(s).' },
    });
    expect(normalize(field('text', { required: true }), '')).toEqual({
      error: { code: 'validation_required', message: 'Missing required value.' },
    });
  });

  it('autogenerates on create only', () => {
    const f = field('text', { autogeneratePattern: '[a-z0-9]{15}' });
    const res = normalize(f, undefined);
    expect('value' in res && /^[a-z0-9]{15}$/.test(String(res.value))).toBe(true);
    expect(normalize(f, undefined, false, 'kept')).toEqual({ value: 'kept' });
  });

  it('primary key: generated, validated, immutable', () => {
    const id = makeField('text', 'id', { primaryKey: true, required: true, min: 15, max: 15, pattern: '^[a-z0-9]+$', autogeneratePattern: '[a-z0-9]{15}' });
    const generated = normalize(id, '');
    expect('value' in generated && String(generated.value)).toMatch(/^[a-z0-9]{15}$/);
    expect(normalize(id, 'abcdefghijklmno')).toEqual({ value: 'abcdefghijklmno' });
    expect(normalize(id, 'ABC')).toMatchObject({ error: { code: 'validation_min_text_constraint' } });
    expect(normalize(id, 'other', false, 'abcdefghijklmno')).toMatchObject({ error: { code: 'validation_pk_change' } });
    expect(normalize(id, 'abcdefghijklmno', false, 'abcdefghijklmno')).toEqual({ value: 'abcdefghijklmno' });
  });

  it('update without a value keeps the current one', () => {
    expect(normalize(field('text', { required: true }), undefined, false, 'old')).toEqual({ value: 'old' });
  });
});

describe('editor', () => {
  run([
    ['html', field('editor'), '<p>x</p>', ok('<p>x</p>')],
    ['maxSize bytes', field('editor', { maxSize: 3 }), 'äää', err('validation_content_size_limit')],
    ['object refused', field('editor'), {}, err('validation_unsupported_value_type')],
  ]);
});

describe('number', () => {
  run([
    ['number', field('number'), 12.5, ok(12.5)],
    ['form string', field('number'), '12', ok(12)],
    ['padded string', field('number'), ' -3.5 ', ok(-3.5)],
    ['empty string is 0', field('number'), '', ok(0)],
    ['not sent is 0', field('number'), undefined, ok(0)],
    ['abc', field('number'), 'abc', err('validation_invalid_number')],
    ['12abc', field('number'), '12abc', err('validation_invalid_number')],
    ['hex string', field('number'), '0x10', err('validation_invalid_number')],
    ['exponent string', field('number'), '1e3', ok(1000)],
    ['Infinity string', field('number'), 'Infinity', err('validation_invalid_number')],
    ['object', field('number'), { n: 1 }, err('validation_invalid_number')],
    ['bool', field('number'), true, err('validation_invalid_number')],
    ['NaN', field('number'), Number.NaN, err('validation_invalid_number')],
    ['min', field('number', { min: 5 }), 3, err('validation_min_number_constraint')],
    ['max', field('number', { max: 5 }), 6, err('validation_max_number_constraint')],
    ['zero skips min like PB', field('number', { min: 5 }), 0, ok(0)],
    ['onlyInt', field('number', { onlyInt: true }), 1.5, err('validation_only_int_constraint')],
    ['onlyInt ok', field('number', { onlyInt: true }), '7', ok(7)],
    ['required zero', field('number', { required: true }), 0, err('validation_required')],
  ]);
});

describe('bool', () => {
  run([
    ['true', field('bool'), true, ok(1)],
    ['false', field('bool'), false, ok(0)],
    ['"true"', field('bool'), 'true', ok(1)],
    ['"on"', field('bool'), 'on', ok(1)],
    ['"1"', field('bool'), '1', ok(1)],
    ['"false"', field('bool'), 'false', ok(0)],
    ['empty form value', field('bool'), '', ok(0)],
    ['1', field('bool'), 1, ok(1)],
    ['2', field('bool'), 2, err('validation_invalid_bool')],
    ['"maybe"', field('bool'), 'maybe', err('validation_invalid_bool')],
    ['object', field('bool'), {}, err('validation_invalid_bool')],
    ['required false', field('bool', { required: true }), false, err('validation_required')],
  ]);
});

describe('email', () => {
  run([
    ['valid', field('email'), 'a@example.com', ok('a@example.com')],
    ['trimmed', field('email'), ' a@example.com ', ok('a@example.com')],
    ['invalid', field('email'), 'not-an-email', err('validation_is_email')],
    ['number', field('email'), 12, err('validation_unsupported_value_type')],
    ['onlyDomains', field('email', { onlyDomains: ['example.com'] }), 'a@other.com', err('validation_email_domain_not_allowed')],
    ['exceptDomains', field('email', { exceptDomains: ['spam.com'] }), 'a@spam.com', err('validation_email_domain_not_allowed')],
    ['required', field('email', { required: true }), '', err('validation_required')],
  ]);
});

describe('url', () => {
  run([
    ['valid', field('url'), 'https://example.com/x?y=1', ok('https://example.com/x?y=1')],
    ['no scheme', field('url'), 'example.com', err('validation_invalid_url')],
    ['garbage', field('url'), 'ht!tp://', err('validation_invalid_url')],
    ['onlyDomains', field('url', { onlyDomains: ['example.com'] }), 'https://evil.com', err('validation_url_domain_not_allowed')],
  ]);
});

describe('date', () => {
  run([
    ['pb format', field('date'), '2024-01-02 03:04:05.678Z', ok('2024-01-02 03:04:05.678Z')],
    ['iso', field('date'), '2024-01-02T03:04:05Z', ok('2024-01-02 03:04:05.000Z')],
    ['date only', field('date'), '2024-01-02', ok('2024-01-02 00:00:00.000Z')],
    ['no zone means UTC', field('date'), '2024-01-02 03:04:05', ok('2024-01-02 03:04:05.000Z')],
    ['offset', field('date'), '2024-01-02T03:04:05+02:00', ok('2024-01-02 01:04:05.000Z')],
    ['empty', field('date'), '', ok('')],
    ['garbage', field('date'), 'yesterday', err('validation_invalid_date')],
    ['bare number string', field('date'), '12', err('validation_invalid_date')],
    ['number', field('date'), 1700000000, err('validation_invalid_date')],
    ['min', field('date', { min: '2024-01-01' }), '2023-12-31', err('validation_min_greater_equal_than_required')],
    ['max', field('date', { max: '2024-01-01' }), '2024-01-02', err('validation_max_less_equal_than_required')],
    ['required', field('date', { required: true }), '', err('validation_required')],
  ]);
});

describe('autodate', () => {
  it('ignores client values and fills on create/update', () => {
    const created = field('autodate', { onCreate: true, onUpdate: false });
    const updated = field('autodate', { onCreate: true, onUpdate: true });
    const a = normalize(created, '1999-01-01 00:00:00.000Z');
    expect('value' in a && String(a.value)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$/);
    expect('value' in a && a.value).not.toBe('1999-01-01 00:00:00.000Z');
    expect(normalize(created, 'x', false, '2020-01-01 00:00:00.000Z')).toEqual({ value: '2020-01-01 00:00:00.000Z' });
    const b = normalize(updated, undefined, false, '2020-01-01 00:00:00.000Z');
    expect('value' in b && b.value).not.toBe('2020-01-01 00:00:00.000Z');
  });
});
