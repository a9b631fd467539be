/**
 * "Who is calling": the value every layer (rules, records, realtime, admin) receives. Resolved
 * once per request from the Authorization header. An invalid or expired token resolves to
 * anonymous, like PocketBase; routes that require auth answer 401 themselves.
 */
import type { Collection } from '../collections/model.ts';
import { SUPERUSERS_COLLECTION, type AuthRecord } from './auth-records.ts';
import type { SessionService } from './sessions.ts';

export type AuthContext =
  | { kind: 'anonymous' }
  | {
      kind: 'record';
      collection: Collection;
      /** The raw row, `password` and `tokenKey` included: serialise before sending. */
      record: AuthRecord;
      sessionId: string;
      isSuperuser: boolean;
    };

export const ANONYMOUS: AuthContext = Object.freeze({ kind: 'anonymous' });

/** The token from `TOKEN` or `Bearer TOKEN` (scheme case-insensitive), or null. */
export function tokenFromHeader(headerValue: string | null | undefined): string | null {
  if (typeof headerValue !== 'string') return null;
  const value = headerValue.trim();
  const token = /^bearer\s/i.test(value) ? value.slice(6).trim() : value;
  return token === '' ? null : token;
}

export async function resolveAuth(sessions: SessionService, headerValue: string | null | undefined): Promise<AuthContext> {
  const token = tokenFromHeader(headerValue);
  if (!token) return ANONYMOUS;
  const auth = await sessions.verify(token);
  if (!auth) return ANONYMOUS;
  return {
    kind: 'record',
    collection: auth.collection,
    record: auth.record,
    sessionId: auth.session.id,
    isSuperuser: auth.collection.name === SUPERUSERS_COLLECTION,
  };
}

export const isSuperuser = (auth: AuthContext): boolean => auth.kind === 'record' && auth.isSuperuser;
