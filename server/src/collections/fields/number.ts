/** `number`: finite numbers (form strings accepted), with min/max and onlyInt. Stored NUMERIC. */
import { fieldError, type FieldError } from '../../shared/errors.ts';
import type { Field } from '../model.ts';
import type { FieldType } from './field-type.ts';
import { defineFieldType } from './define.ts';
import { invalidNumberError, maxNumberError, minNumberError, onlyIntError } from './errors.ts';
import { checkBool, checkNumberOrNull, collect } from './options.ts';

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A client number: JSON numbers, or strings holding a decimal number ('' means 0). */
export function parseNumber(value: unknown): number | undefined {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return 0;
  if (!NUMERIC.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : undefined;
}

const limit = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

function validateDefinition(field: Field): Record<string, FieldError> {
  const errors = collect({
    min: checkNumberOrNull(field.min),
    max: checkNumberOrNull(field.max),
    onlyInt: checkBool(field.onlyInt),
  });
  const min = limit(field.min);
  const max = limit(field.max);
  if (!errors.max && min !== undefined && max !== undefined && max < min) errors.max = minNumberError(min);
  if (field.onlyInt) {
    const notInt = fieldError('validation_only_int_constraint', 'Decimal numbers are not allowed.');
    if (!errors.min && min !== undefined && !Number.isInteger(min)) errors.min = notInt;
    if (!errors.max && max !== undefined && !Number.isInteger(max)) errors.max = notInt;
  }
  return errors;
}

export const numberField: FieldType = defineFieldType({
  columnDefinition: () => 'NUMERIC DEFAULT 0 NOT NULL',
  defaults: () => ({ min: null, max: null, onlyInt: false }),
  validateDefinition,
  coerce: (value) => {
    const n = parseNumber(value);
    return n === undefined ? { error: invalidNumberError() } : { value: n };
  },
  // Like PocketBase, 0 counts as blank: min/max apply to non-zero values only.
  check: (value, field) => {
    const n = Number(value);
    if (field.onlyInt && !Number.isInteger(n)) return onlyIntError();
    const min = limit(field.min);
    if (min !== undefined && n < min) return minNumberError(min);
    const max = limit(field.max);
    if (max !== undefined && n > max) return maxNumberError(max);
    return undefined;
  },
  toJSON: (value) => {
    const n = typeof value === 'number' ? value : Number(value);
    return Number.isFinite(n) ? n : 0;
  },
  zeroValue: () => 0,
});
