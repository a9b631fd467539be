/** Record and collection ids: 15 characters of [a-z0-9], uniformly random (PocketBase's shape). */
import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const ID_LENGTH = 15;
export const ID_PATTERN = /^[a-z0-9]{15}$/;
// Rejection sampling keeps the distribution uniform: 252 is the largest multiple of 36 below 256.
const LIMIT = 252;

export function newId(length = ID_LENGTH, alphabet = ALPHABET): string {
  let out = '';
  while (out.length < length) {
    const bytes = randomBytes(length * 2);
    for (let i = 0; i < bytes.length && out.length < length; i++) {
      const b = bytes[i]!;
      if (b < LIMIT) out += alphabet[b % alphabet.length];
    }
  }
  return out;
}

/** Collection ids carry a prefix so they are recognisable in logs and tokens. */
export const newCollectionId = (): string => `pbc_${newId(12, '0123456789')}`;

/** A client-given record id must look like one we would generate (or a safe 1–100 char slug). */
export const isValidRecordId = (id: string): boolean => /^[a-zA-Z0-9_-]{1,100}$/.test(id);
