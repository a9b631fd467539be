/**
 * `password` (auth collections only): `normalize` checks the plaintext (length, pattern) and passes
 * it through; the auth layer hashes it before writing. The stored hash is never serialised.
 */
import { fieldError, type FieldError } from '../../shared/errors.ts';
import type { Field } from '../model.ts';
import type { FieldType } from './field-type.ts';
import { defineFieldType } from './define.ts';
import { invalidFormatError, unsupportedTypeError } from './errors.ts';
import { checkInt, checkRegex, collect } from './options.ts';
import { asText } from './values.ts';

/** PocketBase's cap (a bcrypt limit there); kept so limits and messages match across servers. */
export const MAX_PASSWORD_LENGTH = 71;

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

function validateDefinition(field: Field): Record<string, FieldError> {
  return collect({
    min: checkInt(field.min, 0, MAX_PASSWORD_LENGTH),
    max: checkInt(field.max, num(field.max) === 0 ? 0 : num(field.min), MAX_PASSWORD_LENGTH),
    pattern: checkRegex(field.pattern),
    cost: checkInt(field.cost),
  });
}

export const passwordField: FieldType = defineFieldType({
  columnDefinition: () => "TEXT DEFAULT '' NOT NULL",
  defaults: () => ({ min: 0, max: 0, pattern: '', cost: 0 }),
  validateDefinition,
  coerce: (value) =>
    value === null || value === undefined ? { value: '' } : typeof value === 'string' ? { value } : { error: unsupportedTypeError() },
  check: (value, field) => {
    const plain = asText(value);
    const length = [...plain].length;
    const min = num(field.min);
    if (length < min) return fieldError('validation_min_text_constraint', `Must be at least ${min} character(s).`);
    const max = num(field.max) || MAX_PASSWORD_LENGTH;
    if (length > max) return fieldError('validation_max_text_constraint', `Must be no more than ${max} character(s).`);
    if (field.pattern && !new RegExp(field.pattern).test(plain)) return invalidFormatError();
    return undefined;
  },
  toJSON: () => undefined,
  zeroValue: () => '',
});
