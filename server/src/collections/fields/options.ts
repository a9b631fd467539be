/**
 * Checks for field definition options (min, max, regex, lists…). Each returns a FieldError or
 * undefined so a type's validateDefinition reads as a list of option → rule lines.
 */
import { fieldError, type FieldError } from '../../shared/errors.ts';

/** The largest integer JSON carries exactly (PocketBase's maxSafeJSONInt). */
export const MAX_SAFE_JSON_INT = 2 ** 53 - 1;

const invalid = (message: string): FieldError => fieldError('validation_invalid_value', message);

export function checkInt(value: unknown, min = 0, max = MAX_SAFE_JSON_INT): FieldError | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) return invalid('Must be an integer.');
  if (value < min) return fieldError('validation_min_greater_equal_than_required', `Must be no less than ${min}.`);
  if (value > max) return fieldError('validation_max_less_equal_than_required', `Must be no greater than ${max}.`);
  return undefined;
}

export function checkNumberOrNull(value: unknown): FieldError | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'number' && Number.isFinite(value) ? undefined : invalid('Must be a number or null.');
}

export function checkBool(value: unknown): FieldError | undefined {
  return value === undefined || typeof value === 'boolean' ? undefined : invalid('Must be a boolean.');
}

export function checkString(value: unknown): FieldError | undefined {
  return value === undefined || typeof value === 'string' ? undefined : invalid('Must be a string.');
}

export function checkStringList(value: unknown, item?: (s: string) => boolean): FieldError | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) return invalid('Must be a list of strings.');
  const bad = item ? value.find((v: string) => !item(v)) : undefined;
  return bad === undefined ? undefined : invalid(`Invalid item ${JSON.stringify(bad)}.`);
}

export function checkRegex(value: unknown): FieldError | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') return invalid('Must be a string.');
  try {
    new RegExp(value);
    return undefined;
  } catch (err) {
    return fieldError('validation_invalid_regex', (err as Error).message);
  }
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/i;
export const isDomain = (s: string): boolean => DOMAIN.test(s);

/** Collects the defined errors of `checks` into PocketBase's `{option: error}` shape. */
export function collect(checks: Record<string, FieldError | undefined>): Record<string, FieldError> {
  const out: Record<string, FieldError> = {};
  for (const [key, err] of Object.entries(checks)) if (err) out[key] = err;
  return out;
}
