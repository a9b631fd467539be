/**
 * Builds a FieldType from its parts: coerce (representation), check (constraints on a non-blank
 * value) and the storage hooks. The shared `normalize` handles "not sent" and `required` once.
 */
import type { Field } from '../model.ts';
import type { FieldError } from '../../shared/errors.ts';
import type { FieldType, NormalizeResult, StoredValue, ValueContext } from './field-type.ts';
import { requiredError } from './errors.ts';
import { isBlankStored } from './values.ts';

export interface FieldSpec {
  columnDefinition(field: Field): string;
  defaults(): Partial<Field>;
  validateDefinition?(field: Field): Record<string, FieldError>;
  coerce(value: unknown, field: Field): NormalizeResult;
  /** Constraints on a non-blank coerced value. */
  check?(value: StoredValue, field: Field, ctx: ValueContext): FieldError | undefined;
  isBlank?(value: StoredValue): boolean;
  toJSON(value: unknown, field: Field): unknown;
  zeroValue(field: Field): StoredValue;
}

export function defineFieldType(spec: FieldSpec): FieldType {
  const isBlank = spec.isBlank ?? isBlankStored;
  return {
    columnDefinition: spec.columnDefinition,
    defaults: spec.defaults,
    validateDefinition: (field) => spec.validateDefinition?.(field) ?? {},
    coerce: spec.coerce,
    toJSON: spec.toJSON,
    zeroValue: spec.zeroValue,
    normalize(value, field, ctx) {
      if (value === undefined && !ctx.isNew) return { value: ctx.current ?? spec.zeroValue(field) };
      const coerced = spec.coerce(value === undefined ? null : value, field);
      if ('error' in coerced) return coerced;
      if (isBlank(coerced.value)) return field.required ? { error: requiredError() } : coerced;
      const error = spec.check?.(coerced.value, field, ctx);
      return error ? { error } : coerced;
    },
  };
}
