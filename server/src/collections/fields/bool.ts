/** `bool`: stored 0/1 in a BOOLEAN column; accepts JSON booleans, 0/1 and form strings (true/on/1…). */
import type { FieldType } from './field-type.ts';
import { defineFieldType } from './define.ts';
import { invalidBoolError } from './errors.ts';

const TRUE_STRINGS = new Set(['true', 't', '1', 'on', 'yes']);
const FALSE_STRINGS = new Set(['false', 'f', '0', 'off', 'no', '']);

export function parseBool(value: unknown): boolean | undefined {
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  if (typeof value !== 'string') return undefined;
  const s = value.trim().toLowerCase();
  if (TRUE_STRINGS.has(s)) return true;
  if (FALSE_STRINGS.has(s)) return false;
  return undefined;
}

export const boolField: FieldType = defineFieldType({
  columnDefinition: () => 'BOOLEAN DEFAULT FALSE NOT NULL',
  defaults: () => ({}),
  coerce: (value) => {
    const b = parseBool(value);
    return b === undefined ? { error: invalidBoolError() } : { value: b ? 1 : 0 };
  },
  toJSON: (value) => value === 1 || value === '1' || value === true || value === 'true',
  zeroValue: () => 0,
});
