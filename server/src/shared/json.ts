/**
 * JSON from clients, parsed with a nesting bound. JSON.parse itself copes with deep input, but
 * everything downstream that walks a value recursively (structuredClone, validation, merging,
 * JSON.stringify) would overflow the stack on a 10,000-deep body and answer a 500.
 */
import { badRequest } from './errors.ts';

/**
 * Deepest array/object nesting accepted in any client JSON (bodies, realtime messages). Real
 * documents stay far below it; every recursive walk of 100 levels is a trivial stack cost.
 */
export const MAX_JSON_DEPTH = 100;

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/** Deepest bracket nesting in JSON text (brackets inside strings do not count). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > max) max = depth;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
    }
  }
  return max;
}

/**
 * JSON.parse that refuses nesting deeper than MAX_JSON_DEPTH with a 400 naming the limit.
 * Text shorter than the limit cannot exceed it, so small bodies are never scanned twice.
 * Syntax errors are thrown as JSON.parse throws them (callers word their own message).
 */
export function parseJsonBounded(text: string, what = 'JSON'): unknown {
  if (text.length > MAX_JSON_DEPTH && jsonDepth(text) > MAX_JSON_DEPTH) {
    throw badRequest(`Invalid ${what}: nesting deeper than ${MAX_JSON_DEPTH} levels (MAX_JSON_DEPTH).`);
  }
  return JSON.parse(text);
}
