/**
 * Stored file names, as PocketBase makes them: the client's name reduced to a safe snake_case
 * base (no path, no dots in front, ≤ 100 chars), a random 10-char suffix so URLs cannot be
 * guessed, and a clean extension (the client's, else one from the sniffed type).
 */
import { randomInt } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** Lengths PocketBase uses: the random part, the kept base and extension. */
export const RANDOM_SUFFIX_LENGTH = 10;
export const MAX_BASE_LENGTH = 100;
export const MAX_EXT_LENGTH = 20;
/** Names longer than this are cut from the front before anything else (bounds the work). */
const MAX_INPUT_LENGTH = 300;

/** A stored name: `{base}_{random}{.ext}`, matching only `[a-z0-9_]` plus the extension. */
export const STORED_NAME = /^[a-z0-9_]+_[A-Za-z0-9]{10}(\.[a-z0-9]+(\.[a-z0-9]+)?)?$/;

export function randomPart(length = RANDOM_SUFFIX_LENGTH): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** `.tar.gz` style double extensions are kept, like PocketBase. */
function splitExtension(name: string): { base: string; ext: string } {
  const m = /(\.[A-Za-z0-9]{1,10})?(\.[A-Za-z0-9]+)$/.exec(name);
  if (!m || m.index === 0) return { base: name, ext: '' };
  const double = m[1] && /^\.(tar)$/i.test(m[1]);
  const ext = double ? m[0] : m[2]!;
  return { base: name.slice(0, name.length - ext.length), ext };
}

function snakeCase(s: string): string {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

export function storedFileName(original: string, sniffedExt: string): string {
  let name = String(original).slice(-MAX_INPUT_LENGTH);
  name = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1); // no directories
  const { base, ext } = splitExtension(name);
  let cleanExt = ext.toLowerCase().replace(/[^a-z0-9.]/g, '').replace(/^\.+|\.+$/g, '');
  if (!cleanExt) cleanExt = sniffedExt.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (cleanExt.length > MAX_EXT_LENGTH) cleanExt = cleanExt.slice(-MAX_EXT_LENGTH).replace(/^\.+/, '');
  let cleanBase = snakeCase(base.replace(/^\.+|\.+$/g, ''));
  if (cleanBase.length < 3) cleanBase = (cleanBase ? `${cleanBase}_` : '') + randomPart().toLowerCase();
  else if (cleanBase.length > MAX_BASE_LENGTH) cleanBase = cleanBase.slice(0, MAX_BASE_LENGTH).replace(/_+$/, '');
  return `${cleanBase}_${randomPart()}${cleanExt ? `.${cleanExt}` : ''}`;
}
