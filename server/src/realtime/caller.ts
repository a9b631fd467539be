/**
 * Turns an auth token into a realtime Caller (the same verification as REST: signature, session
 * row, record's tokenKey, expiry) and remembers when it stops being valid.
 */
import { decodeJwtUnverified, type SessionService, type VerifiedAuth } from '../auth/index.ts';
import type { RequestAuth } from '../rules/index.ts';

export interface Caller {
  auth: RequestAuth | null;
  /** The token to re-verify; null for anonymous callers. */
  token: string | null;
  /** Milliseconds since the epoch; Infinity for anonymous callers. */
  expiresAt: number;
  /** `anon`, or `collectionId:recordId`. */
  key: string;
}

export const ANONYMOUS_CALLER: Caller = { auth: null, token: null, expiresAt: Infinity, key: 'anon' };

const dateMs = (date: string): number => Date.parse(date.replace(' ', 'T'));

/** The caller behind `token`, or null when the token is invalid, expired or revoked. */
export function verifyCaller(sessions: SessionService, token: string): Caller | null {
  return callerOf(sessions.verifySync(token), token);
}

/** The same through the engine (where reads are promises). */
export async function verifyCallerOn(sessions: SessionService, token: string): Promise<Caller | null> {
  return callerOf(await sessions.verify(token), token);
}

function callerOf(verified: VerifiedAuth | null, token: string): Caller | null {
  if (!verified) return null;
  const exp = Number((decodeJwtUnverified(token) as { exp?: unknown } | null)?.exp);
  const sessionEnds = dateMs(verified.session.expires);
  const expiresAt = Math.min(Number.isFinite(exp) ? exp * 1000 : Infinity, Number.isFinite(sessionEnds) ? sessionEnds : Infinity);
  return {
    auth: {
      collection: verified.collection,
      record: verified.record,
      isSuperuser: verified.collection.name === '_superusers',
    },
    token,
    expiresAt,
    key: `${verified.collection.id}:${verified.record.id}`,
  };
}

/** Same identity and same data: nothing compiled for the old one needs rebuilding. */
export function sameCaller(a: Caller, b: Caller): boolean {
  if (a.key !== b.key) return false;
  if (!a.auth || !b.auth) return a.auth === b.auth;
  return a.auth.collection === b.auth.collection && JSON.stringify(a.auth.record) === JSON.stringify(b.auth.record);
}
