/**
 * `text`: plain strings with min/max length, a regex pattern, an autogenerate pattern, and the
 * `primaryKey` flag carried by the `id` field (generated on create, immutable afterwards).
 */
import { fieldError, type FieldError } from '../../shared/errors.ts';
import { isValidRecordId } from '../../shared/ids.ts';
import type { Field } from '../model.ts';
import type { FieldType, StoredValue } from './field-type.ts';
import { defineFieldType } from './define.ts';
import { invalidFormatError, maxTextError, minTextError, unsupportedTypeError } from './errors.ts';
import { checkBool, checkInt, checkRegex, collect } from './options.ts';
import { compilePattern, generateFromPattern } from './random-pattern.ts';
import { asText, scalarText } from './values.ts';

/** PocketBase's implicit max length of a text field whose `max` is 0. */
export const DEFAULT_TEXT_MAX = 5000;

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const runeLength = (s: string): number => [...s].length;

/** Length and pattern checks shared with autogenerate validation. */
export function checkText(value: string, field: Field): FieldError | undefined {
  const length = runeLength(value);
  const min = num(field.min);
  if (min > 0 && length < min) return minTextError(min);
  const max = num(field.max) || DEFAULT_TEXT_MAX;
  if (length > max) return maxTextError(max);
  if (field.pattern && !new RegExp(field.pattern).test(value)) return invalidFormatError();
  if (field.primaryKey && !field.pattern && !isValidRecordId(value)) return invalidFormatError();
  return undefined;
}

function checkAutogenerate(field: Field): FieldError | undefined {
  const pattern = field.autogeneratePattern;
  if (pattern === undefined || pattern === '') return undefined;
  if (typeof pattern !== 'string') return fieldError('validation_invalid_value', 'Must be a string.');
  const gen = compilePattern(pattern);
  if ('error' in gen) return fieldError('validation_invalid_autogenerate_pattern', gen.error);
  for (let i = 0; i < 10; i++) {
    const sample = gen.generate();
    if (checkText(sample, field)) {
      return fieldError(
        'validation_invalid_autogenerate_pattern_value',
        `The provided autogenerate pattern could produce invalid field values, ex.: ${JSON.stringify(sample)}.`,
      );
    }
  }
  return undefined;
}

function validateDefinition(field: Field): Record<string, FieldError> {
  const errors = collect({
    min: checkInt(field.min),
    max: checkInt(field.max, typeof field.min === 'number' && field.max !== 0 ? field.min : 0),
    pattern: checkRegex(field.pattern),
    primaryKey: checkBool(field.primaryKey),
  });
  if (field.primaryKey && field.name !== 'id') {
    errors.name = fieldError('validation_invalid_value', 'The primary key must be named "id".');
  }
  if (field.primaryKey && field.hidden) errors.hidden = fieldError('validation_invalid_value', 'The primary key cannot be hidden.');
  if (!errors.min && !errors.max && !errors.pattern) {
    const autogen = checkAutogenerate(field);
    if (autogen) errors.autogeneratePattern = autogen;
  }
  return errors;
}

const base = defineFieldType({
  columnDefinition: (field) => (field.primaryKey ? 'TEXT PRIMARY KEY NOT NULL' : "TEXT DEFAULT '' NOT NULL"),
  defaults: () => ({ min: 0, max: 0, pattern: '', autogeneratePattern: '', primaryKey: false }),
  validateDefinition,
  coerce: (value) => {
    const text = scalarText(value);
    return text === undefined ? { error: unsupportedTypeError() } : { value: text };
  },
  check: (value, field) => checkText(asText(value), field),
  toJSON: (value) => asText(value),
  zeroValue: () => '',
});

const pkChangeError = (): FieldError =>
  fieldError('validation_pk_change', 'The record primary key cannot be changed.');

export const textField: FieldType = {
  ...base,
  normalize(value, field, ctx) {
    if (field.primaryKey && !ctx.isNew) {
      if (value === undefined) return { value: ctx.current ?? '' };
      const coerced = base.coerce(value, field);
      if ('error' in coerced) return coerced;
      return coerced.value === (ctx.current ?? '') ? coerced : { error: pkChangeError() };
    }
    const blank = value === undefined || value === null || value === '';
    if (ctx.isNew && blank && field.autogeneratePattern) {
      const generated: StoredValue = generateFromPattern(field.autogeneratePattern);
      return base.normalize(generated, field, ctx);
    }
    return base.normalize(value, field, ctx);
  },
};
