/**
 * `date` (client-set, optional min/max) and `autodate` (set by the server on create and/or update;
 * client values are ignored). Both store `YYYY-MM-DD HH:MM:SS.sssZ` text, '' when empty.
 */
import { fieldError, type FieldError } from '../../shared/errors.ts';
import { now, parseDate } from '../../shared/clock.ts';
import type { Field } from '../model.ts';
import type { FieldType, NormalizeResult } from './field-type.ts';
import { defineFieldType } from './define.ts';
import { invalidDateError } from './errors.ts';
import { checkBool, collect } from './options.ts';
import { asText } from './values.ts';

/** ISO-8601 / PocketBase date-times only: V8's Date parser alone would accept "12" or "May 3". */
const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses a client date; a value without a zone is UTC (as in PocketBase), never server-local. */
export function parseClientDate(value: string): string | null {
  const trimmed = value.trim();
  const m = DATE_SHAPE.exec(trimmed);
  if (!m) return null;
  const zoned = m[1] !== undefined || trimmed.length === 10 ? trimmed : `${trimmed}Z`;
  return parseDate(zoned);
}

function coerceDate(value: unknown): NormalizeResult {
  if (value === null || value === undefined || value === '') return { value: '' };
  if (typeof value !== 'string') return { error: invalidDateError() };
  const parsed = parseClientDate(value);
  return parsed === null ? { error: invalidDateError() } : { value: parsed };
}

const bound = (v: unknown): string => (typeof v === 'string' ? (parseClientDate(v) ?? '') : '');

function validateDateDefinition(field: Field): Record<string, FieldError> {
  const errors: Record<string, FieldError> = {};
  for (const key of ['min', 'max'] as const) {
    const v = field[key];
    if (v !== undefined && v !== null && v !== '' && (typeof v !== 'string' || parseClientDate(v) === null)) {
      errors[key] = invalidDateError();
    }
  }
  const min = bound(field.min);
  const max = bound(field.max);
  if (!errors.max && min && max && max < min) {
    errors.max = fieldError('validation_min_greater_equal_than_required', `Must be no less than ${min}.`);
  }
  return errors;
}

const common = {
  columnDefinition: () => "TEXT DEFAULT '' NOT NULL",
  coerce: coerceDate,
  toJSON: (value: unknown) => asText(value),
  zeroValue: () => '',
};

export const dateField: FieldType = defineFieldType({
  ...common,
  defaults: () => ({ min: '', max: '' }),
  validateDefinition: validateDateDefinition,
  check: (value, field) => {
    const v = asText(value);
    const min = bound(field.min);
    if (min && v < min) return fieldError('validation_min_greater_equal_than_required', `Must be no less than ${min}.`);
    const max = bound(field.max);
    if (max && v > max) return fieldError('validation_max_less_equal_than_required', `Must be no greater than ${max}.`);
    return undefined;
  },
});

const autodateBase = defineFieldType({
  ...common,
  defaults: () => ({ onCreate: false, onUpdate: false }),
  validateDefinition: (field) => {
    const errors = collect({ onCreate: checkBool(field.onCreate), onUpdate: checkBool(field.onUpdate) });
    if (!field.onCreate && !field.onUpdate) {
      errors.onCreate = fieldError('validation_required', 'Either onCreate or onUpdate must be enabled.');
    }
    return errors;
  },
});

/** Clients cannot write autodate fields: the value comes from the clock or stays as stored. */
export const autodateField: FieldType = {
  ...autodateBase,
  normalize(_value, field, ctx) {
    if (ctx.isNew ? field.onCreate : field.onUpdate) return { value: now() };
    return { value: ctx.isNew ? '' : (ctx.current ?? '') };
  },
};
