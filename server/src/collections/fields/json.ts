/**
 * `json`: any JSON value, stored as JSON text (NULL when empty). Strings follow PocketBase: a
 * string that is itself valid JSON (number, array, object, quoted, true/false/null) is parsed, any
 * other string is stored as a JSON string — so form submissions and JSON bodies behave alike.
 */
import type { FieldType, NormalizeResult, StoredValue } from './field-type.ts';
import { defineFieldType } from './define.ts';
import { invalidJsonError, jsonSizeError } from './errors.ts';
import { checkInt, collect } from './options.ts';

/** PocketBase's default JSON limit (1 MiB). */
export const DEFAULT_JSON_MAX_SIZE = 1 << 20;

const EMPTY_JSON = new Set(['null', '""', '[]', '{}', '']);

function fromString(s: string): unknown {
  if (s === 'null' || s === 'true' || s === 'false') return JSON.parse(s);
  const first = s[0] ?? '';
  if (/[0-9\-"[{]/.test(first)) {
    try {
      return JSON.parse(s);
    } catch {
      return s;
    }
  }
  return s;
}

function coerceJson(value: unknown): NormalizeResult {
  const parsed = typeof value === 'string' ? fromString(value) : value;
  if (parsed === null || parsed === undefined) return { value: null };
  try {
    const text = JSON.stringify(parsed);
    return typeof text === 'string' ? { value: text } : { error: invalidJsonError() };
  } catch {
    return { error: invalidJsonError() };
  }
}

function parseStored(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value; // NUMERIC affinity of the JSON column turns "12" into 12
  try {
    return JSON.parse(String(value));
  } catch {
    return String(value);
  }
}

export const jsonField: FieldType = defineFieldType({
  columnDefinition: () => 'JSON DEFAULT NULL',
  defaults: () => ({ maxSize: 0 }),
  validateDefinition: (field) => collect({ maxSize: checkInt(field.maxSize) }),
  coerce: coerceJson,
  isBlank: (value: StoredValue) => value === null || EMPTY_JSON.has(String(value).trim()),
  check: (value, field) => {
    const max = field.maxSize || DEFAULT_JSON_MAX_SIZE;
    return Buffer.byteLength(String(value)) > max ? jsonSizeError(max) : undefined;
  },
  toJSON: parseStored,
  zeroValue: () => null,
});
