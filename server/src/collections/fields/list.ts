/**
 * The list-valued types `select`, `relation` and `file`. With maxSelect ≤ 1 the column holds one
 * string ('' when empty); above 1 it holds a JSON array text ('[]' when empty). Clients may send a
 * string, a JSON array, a JSON-array string, or (multi) a comma-separated form string.
 */
import { fieldError, type FieldError } from '../../shared/errors.ts';
import { isMultiValued, type Field } from '../model.ts';
import type { FieldType, NormalizeResult } from './field-type.ts';
import { defineFieldType } from './define.ts';
import { invalidValueError, notEnoughValuesError, tooManyValuesError, unsupportedTypeError } from './errors.ts';
import { checkBool, checkInt, checkString, checkStringList, collect } from './options.ts';
import { storedList, toStringList } from './values.ts';

const maxOf = (field: Field): number => Math.max(field.maxSelect ?? 1, 1);

function coerceList(value: unknown, field: Field): NormalizeResult {
  const multi = isMultiValued(field);
  const keepWhole = field.type === 'select' ? (s: string) => (field.values ?? []).includes(s) : undefined;
  const list = toStringList(value, { split: multi, keepWhole });
  if (list === undefined) return { error: unsupportedTypeError() };
  if (!multi) {
    if (list.length > 1) return { error: tooManyValuesError(1) };
    return { value: list[0] ?? '' };
  }
  return { value: JSON.stringify(list) };
}

function checkList(field: Field, extra?: (items: string[]) => FieldError | undefined) {
  return (value: unknown): FieldError | undefined => {
    const items = storedList(value);
    if (items.length > maxOf(field)) return tooManyValuesError(maxOf(field));
    return extra?.(items);
  };
}

const listToJSON = (value: unknown, field: Field): unknown =>
  isMultiValued(field) ? storedList(value) : (storedList(value)[0] ?? '');

const common = {
  columnDefinition: (field: Field) => (isMultiValued(field) ? "JSON DEFAULT '[]' NOT NULL" : "TEXT DEFAULT '' NOT NULL"),
  coerce: coerceList,
  toJSON: listToJSON,
  zeroValue: (field: Field) => (isMultiValued(field) ? '[]' : ''),
};

export const selectField: FieldType = defineFieldType({
  ...common,
  defaults: () => ({ values: [], maxSelect: 1 }),
  validateDefinition: (field) => {
    const errors = collect({ values: checkStringList(field.values) });
    const values = Array.isArray(field.values) ? field.values : [];
    if (!errors.values && values.length === 0) errors.values = fieldError('validation_required', 'Missing required value.');
    if (!errors.values && new Set(values).size !== values.length) {
      errors.values = fieldError('validation_invalid_value', 'Values must be unique.');
    }
    const maxSelect = checkInt(field.maxSelect, 0, Math.max(values.length, 1));
    if (maxSelect) errors.maxSelect = maxSelect;
    return errors;
  },
  check: (value, field) =>
    checkList(field, (items) => {
      const bad = items.find((v) => !(field.values ?? []).includes(v));
      return bad === undefined ? undefined : invalidValueError(bad);
    })(value),
});

export const relationField: FieldType = defineFieldType({
  ...common,
  defaults: () => ({ collectionId: '', cascadeDelete: false, minSelect: 0, maxSelect: 1 }),
  validateDefinition: (field) => {
    const errors = collect({
      collectionId: checkString(field.collectionId),
      cascadeDelete: checkBool(field.cascadeDelete),
      minSelect: checkInt(field.minSelect),
      maxSelect: checkInt(field.maxSelect, typeof field.minSelect === 'number' ? field.minSelect : 0),
    });
    if (!errors.collectionId && !field.collectionId) errors.collectionId = fieldError('validation_required', 'Missing required value.');
    return errors;
  },
  check: (value, field) =>
    checkList(field, (items) => {
      const min = field.minSelect ?? 0;
      return min > 0 && items.length < min ? notEnoughValuesError(min) : undefined;
    })(value),
});

const THUMB = /^\d+x\d+[tbf]?$/;

/** Stores file names only; uploads, sizes and mime types are checked by the files layer. */
export const fileField: FieldType = defineFieldType({
  ...common,
  defaults: () => ({ maxSelect: 1, maxSize: 0, mimeTypes: [], thumbs: [], protected: false }),
  validateDefinition: (field) =>
    collect({
      maxSelect: checkInt(field.maxSelect),
      maxSize: checkInt(field.maxSize),
      mimeTypes: checkStringList(field.mimeTypes),
      thumbs: checkStringList(field.thumbs, (t) => THUMB.test(t)),
      protected: checkBool(field.protected),
    }),
  check: (value, field) => checkList(field)(value),
});
