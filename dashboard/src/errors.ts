/**
 * Turning SDK errors into what a screen shows: a message, and per-field messages keyed by the
 * server's field path (`name`, `fields.2.name`, `listRule`, `options.min`…).
 */
import { isHearthError } from '@hearth/sdk';

export interface ShownError {
  message: string;
  fields: Record<string, string>;
}

function flatten(data: unknown, prefix: string, out: Record<string, string>): void {
  if (!data || typeof data !== 'object') return;
  const obj = data as Record<string, unknown>;
  if (typeof obj.code === 'string' && typeof obj.message === 'string') {
    out[prefix] = obj.message;
    return;
  }
  for (const [key, value] of Object.entries(obj)) flatten(value, prefix ? `${prefix}.${key}` : key, out);
}

export function showError(err: unknown): ShownError {
  if (isHearthError(err)) {
    const fields: Record<string, string> = {};
    flatten(err.data, '', fields);
    const message = err.status === 0 ? `Cannot reach the server: ${err.message}` : err.message;
    return { message, fields };
  }
  return { message: err instanceof Error ? err.message : String(err), fields: {} };
}

/** Field messages under `prefix.` (e.g. one schema field's options), with the prefix removed. */
export function fieldsUnder(fields: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) if (k.startsWith(`${prefix}.`)) out[k.slice(prefix.length + 1)] = v;
  return out;
}
