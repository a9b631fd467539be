/**
 * The auth token's claims and key. A token is signed with `collection tokenSecret + record
 * tokenKey`, so rotating a record's tokenKey invalidates every token it ever had ("sign out
 * everywhere"), and rotating the collection secret invalidates the whole collection.
 */
import type { Collection } from '../collections/model.ts';

/** PocketBase-shaped claims (`id`, `collectionId`, `type`, `exp`, `refreshable`) plus our session id. */
export interface AuthTokenClaims {
  id: string;
  collectionId: string;
  type: 'auth';
  sid: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  refreshable: boolean;
}

export { TOKEN_KEY_LENGTH, newTokenKey } from '../shared/ids.ts';

/** The HMAC key for a record's tokens, or null when the collection has no secret configured. */
export function signingKey(collection: Collection, tokenKey: unknown): string | null {
  const secret = collection.auth?.tokenSecret;
  if (typeof secret !== 'string' || secret === '') return null;
  if (typeof tokenKey !== 'string' || tokenKey === '') return null;
  return secret + tokenKey;
}

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v !== '' && v.length <= 255;

/** Narrows an (unverified or verified) JWT payload to auth claims, or null. */
export function parseAuthClaims(payload: Record<string, unknown> | null): AuthTokenClaims | null {
  if (!payload || payload.type !== 'auth') return null;
  const { id, collectionId, sid, exp, refreshable } = payload;
  if (!nonEmpty(id) || !nonEmpty(collectionId) || !nonEmpty(sid)) return null;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return null;
  return { id, collectionId, type: 'auth', sid, exp, refreshable: refreshable === true };
}
