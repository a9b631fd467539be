/** Shared value helpers for field types: scalar-to-text, list parsing, stored-list decoding. */

/** A scalar as text (numbers and booleans like PocketBase's cast.ToString); objects are refused. */
export function scalarText(value: unknown): string | undefined {
  if (value === null || value === undefined) return '';
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return Number.isFinite(value) ? String(value) : undefined;
    case 'boolean':
    case 'bigint':
      return String(value);
    default:
      return undefined;
  }
}

export interface ListOptions {
  /** Split "a,b" into two items (form submissions of multi-valued fields). */
  split: boolean;
  /** A string kept whole even when split is on (e.g. an allowed select value containing a comma). */
  keepWhole?: (s: string) => boolean;
}

/** Client input as a de-duplicated list of non-empty strings, or undefined for unsupported types. */
export function toStringList(value: unknown, options: ListOptions): string[] | undefined {
  let items: unknown[];
  if (value === null || value === undefined) items = [];
  else if (Array.isArray(value)) items = value;
  else if (typeof value === 'string') items = splitString(value, options);
  else items = [value];
  const out: string[] = [];
  for (const item of items) {
    const text = scalarText(item);
    if (text === undefined || (typeof item !== 'string' && typeof item !== 'number')) {
      if (item !== null) return undefined;
      continue;
    }
    const trimmed = text.trim();
    if (trimmed !== '' && !out.includes(trimmed)) out.push(trimmed);
  }
  return out;
}

function splitString(value: string, options: ListOptions): unknown[] {
  const trimmed = value.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed;
    } catch {
      // not JSON: an ordinary string
    }
  }
  if (options.split && trimmed.includes(',') && !options.keepWhole?.(trimmed)) return trimmed.split(',');
  return [trimmed];
}

/** Decodes a stored multi-valued column (JSON array text) or a single value into a list. */
export function storedList(value: unknown): string[] {
  if (value === null || value === undefined || value === '') return [];
  if (typeof value === 'string' && value.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed)) return parsed.filter((v): v is string => typeof v === 'string');
    } catch {
      return [];
    }
  }
  return [String(value)];
}

/** The generic "blank" test on stored values: '', 0, NULL and the empty JSON array. */
export const isBlankStored = (value: unknown): boolean =>
  value === '' || value === 0 || value === null || value === undefined || value === '[]';

export const asText = (value: unknown): string => (value === null || value === undefined ? '' : String(value));
