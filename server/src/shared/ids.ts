/** Record and collection ids: 15 characters of [a-z0-9], uniformly random (PocketBase's shape). */
import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const ID_LENGTH = 15;
export const ID_PATTERN = /^[a-z0-9]{15}$/;
// Bytes at or above the largest multiple of the alphabet size are rejected, so every character
// is equally likely (252 for 36 characters).

/** Random bytes are drawn in blocks: one syscall serves hundreds of ids on the insert path. */
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let poolAt = 0;

function nextByte(): number {
  if (poolAt === POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    poolAt = 0;
  }
  return pool[poolAt++]!;
}

export function newId(length = ID_LENGTH, alphabet = ALPHABET): string {
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    const b = nextByte();
    if (b < limit) out += alphabet[b % alphabet.length];
  }
  return out;
}

/** Milliseconds in base 36 fill this many characters until the year 5188. */
const TIME_CHARS = 9;
/** Then a tag drawn once per generator (per process) and a counter: 36³ ids per millisecond. */
const COUNTER_CHARS = 3;
const TAG_CHARS = ID_LENGTH - TIME_CHARS - COUNTER_CHARS;
const COUNTER_SPAN = 36 ** COUNTER_CHARS;
const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * A generator of ids of the same shape that sort by creation time: the millisecond in base 36,
 * a random tag of this generator, a counter. For append-mostly tables keyed by id (the request
 * log): each insert lands on the index's last page instead of a random one, so a batch of
 * inserts dirties a few pages, not one each. One generator never repeats an id (the counter
 * would have to wrap within a millisecond); two (two worker processes on one file) collide only
 * with the same tag, millisecond and counter.
 */
export function timeOrderedIds(): (ms?: number) => string {
  const tag = newId(TAG_CHARS);
  let counter = Math.floor(Math.random() * COUNTER_SPAN);
  let lastMs = -1;
  let prefix = '';
  return (ms = Date.now()) => {
    if (ms !== lastMs) {
      lastMs = ms;
      prefix = ms.toString(36).padStart(TIME_CHARS, '0') + tag;
    }
    counter = (counter + 1) % COUNTER_SPAN;
    return prefix + DIGITS[(counter / 1296) | 0]! + DIGITS[((counter / 36) | 0) % 36]! + DIGITS[counter % 36]!;
  };
}

/** Collection ids carry a prefix so they are recognisable in logs and tokens. */
export const newCollectionId = (): string => `pbc_${newId(12, '0123456789')}`;

/** A client-given record id must look like one we would generate (or a safe 1–100 char slug). */
export const isValidRecordId = (id: string): boolean => /^[a-zA-Z0-9_-]{1,100}$/.test(id);

/** A record's tokenKey: 50 characters of [a-z0-9] like PocketBase (≈258 bits); rotating it signs every session out. */
export const TOKEN_KEY_LENGTH = 50;
export const newTokenKey = (): string => newId(TOKEN_KEY_LENGTH);
