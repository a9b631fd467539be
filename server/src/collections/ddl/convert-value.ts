/**
 * Carries one stored value across a change of field type or shape (single ↔ multi). The old value
 * is read in its JSON form and coerced by the new type; representation must hold (text → number
 * needs a numeric string, multi → single at most one item). Constraints such as min/max or email
 * format are not re-checked on existing rows, as PocketBase does not re-check them on option changes.
 */
import { fieldError } from '../../shared/errors.ts';
import { fieldTypeOf, type NormalizeResult } from '../fields/index.ts';
import type { Field } from '../model.ts';

const LIST_TYPES = new Set(['select', 'relation', 'file']);

/** True when the column must be rewritten value by value (a plain copy would not hold). */
export function needsConversion(from: Field, to: Field): boolean {
  if (from.type !== to.type) return true;
  if (!LIST_TYPES.has(to.type)) return false;
  return (from.maxSelect ?? 1) > 1 !== (to.maxSelect ?? 1) > 1;
}

function toTargetForm(json: unknown, from: Field, to: Field): { value: unknown } | { why: string } {
  let value = json;
  if (Array.isArray(value) && !LIST_TYPES.has(to.type) && to.type !== 'json') {
    if (value.length > 1) return { why: 'it holds more than one value' };
    value = value[0] ?? '';
  }
  if (typeof value === 'boolean' && to.type === 'number') return { value: value ? 1 : 0 };
  if (from.type === 'json' && (to.type === 'text' || to.type === 'editor') && typeof value === 'object' && value !== null) {
    return { value: JSON.stringify(value) };
  }
  if (to.type === 'json' && value === '') return { value: null };
  return { value };
}

export function convertStored(from: Field, to: Field, stored: unknown): NormalizeResult {
  const json = fieldTypeOf(from).toJSON(stored, from);
  const target = toTargetForm(json, from, to);
  const describe = JSON.stringify(json)?.slice(0, 60) ?? String(json);
  const fail = (why: string) => ({
    error: fieldError('validation_field_conversion_failed', `Field "${to.name}": the existing value ${describe} cannot be converted to ${to.type} (${why}).`),
  });
  if ('why' in target) return fail(target.why);
  const result = fieldTypeOf(to).coerce(target.value, to);
  return 'error' in result ? fail(result.error.message.replace(/\.$/, '')) : result;
}
