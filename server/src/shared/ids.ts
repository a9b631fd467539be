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

/** Collection ids carry a prefix so they are recognisable in logs and tokens. */
export const newCollectionId = (): string => `pbc_${newId(12, '0123456789')}`;

/** A client-given record id must look like one we would generate (or a safe 1–100 char slug). */
export const isValidRecordId = (id: string): boolean => /^[a-zA-Z0-9_-]{1,100}$/.test(id);

/** A record's tokenKey: 50 characters of [a-z0-9] like PocketBase (≈258 bits); rotating it signs every session out. */
export const TOKEN_KEY_LENGTH = 50;
export const newTokenKey = (): string => newId(TOKEN_KEY_LENGTH);
