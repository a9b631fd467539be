/**
 * Links mailed for verification, password reset and email change. Each is a PocketBase-shaped
 * HS256 JWT (`id`, `collectionId`, `type`, `email`, `newEmail?`, `exp` — the SDK reads them)
 * signed with `tokenSecret + tokenKey + ":" + type`, so a password or email change (which
 * rotates tokenKey) voids every outstanding link, and one type cannot stand in for another.
 * On top of the signature, the SHA-256 of each token is stored in `_authTokens`: a link works
 * only while its row exists, so it is single-use, and a newer link of the same type replaces
 * older ones. Only the hash is stored; a database leak yields no usable link.
 */
import { createHash } from 'node:crypto';
import type { SqlEngine } from '../db/index.ts';
import type { Collection } from '../collections/model.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import { formatDate } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import { decodeJwtUnverified, signJwt, verifyJwt } from './jwt.ts';
import { findAuthCollection, getAuthRecord, type AuthRecord } from './auth-records.ts';
import { signingKey } from './tokens.ts';

export type EmailTokenType = 'verification' | 'passwordReset' | 'emailChange';

export interface EmailTokenClaims {
  id: string;
  collectionId: string;
  type: EmailTokenType;
  email: string;
  newEmail?: string;
  exp: number;
}

/** PocketBase's defaults, used when the collection does not set `<type>Token.duration`. */
const DEFAULT_DURATIONS: Record<EmailTokenType, number> = {
  verification: 259_200,
  passwordReset: 1800,
  emailChange: 1800,
};

const OPTION_KEY: Record<EmailTokenType, string> = {
  verification: 'verificationToken',
  passwordReset: 'passwordResetToken',
  emailChange: 'emailChangeToken',
};

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

function duration(collection: Collection, type: EmailTokenType): number {
  const option = collection.auth?.[OPTION_KEY[type]] as { duration?: unknown } | undefined;
  const d = option?.duration;
  return typeof d === 'number' && Number.isInteger(d) && d > 0 ? d : DEFAULT_DURATIONS[type];
}

function keyFor(collection: Collection, record: AuthRecord, type: EmailTokenType): string | null {
  const key = signingKey(collection, record.tokenKey);
  return key ? `${key}:${type}` : null;
}

export interface VerifiedEmailToken {
  collection: Collection;
  record: AuthRecord;
  claims: EmailTokenClaims;
  hash: string;
}

export interface EmailTokens {
  issue(collection: Collection, record: AuthRecord, type: EmailTokenType, extra?: { newEmail?: string }): Promise<string>;
  /** The record behind a valid, unexpired, unused token of `type` for `collection`, or null. Does not consume it. */
  verify(collection: Collection, token: unknown, type: EmailTokenType): Promise<VerifiedEmailToken | null>;
  /** Marks the token used; false if it was used (or replaced) meanwhile. */
  consume(verified: VerifiedEmailToken): Promise<boolean>;
  /** Drops every stored token of a record (e.g. when it is deleted). */
  forgetRecord(collectionId: string, recordId: string): Promise<void>;
}

export function createEmailTokens(deps: { db: SqlEngine; registry: CollectionRegistry; clock?: () => number }): EmailTokens {
  const { db, registry } = deps;
  const clock = deps.clock ?? Date.now;

  return {
    async issue(collection, record, type, extra = {}) {
      const key = keyFor(collection, record, type);
      if (!key) throw new Error(`collection "${collection.name}" cannot sign tokens`);
      const nowMs = clock();
      const exp = Math.floor(nowMs / 1000) + duration(collection, type);
      const claims = { id: record.id, collectionId: collection.id, type, email: String(record.email ?? ''), ...extra, jti: newId(20), exp };
      const token = signJwt(claims, key);
      await db.transaction(async (tx) => {
        await tx.run('DELETE FROM "_authTokens" WHERE "collectionRef" = ? AND "recordRef" = ? AND "type" = ?', [collection.id, record.id, type]);
        await tx.run('DELETE FROM "_authTokens" WHERE "expires" <= ?', [formatDate(new Date(nowMs))]);
        await tx.run(
          'INSERT INTO "_authTokens" ("hash", "type", "collectionRef", "recordRef", "expires", "created") VALUES (?, ?, ?, ?, ?, ?)',
          [hashToken(token), type, collection.id, record.id, formatDate(new Date(exp * 1000)), formatDate(new Date(nowMs))],
        );
      });
      return token;
    },

    async verify(collection, token, type) {
      if (typeof token !== 'string') return null;
      const unverified = decodeJwtUnverified(token);
      if (!unverified || unverified.type !== type || unverified.collectionId !== collection.id) return null;
      const owner = findAuthCollection(registry, collection.id);
      const record = owner && typeof unverified.id === 'string' ? await getAuthRecord(db, owner, unverified.id) : undefined;
      const key = record && keyFor(collection, record, type);
      if (!record || !key) return null;
      const payload = verifyJwt(token, key, clock() / 1000);
      if (!payload || typeof payload.email !== 'string') return null;
      const hash = hashToken(token);
      const row = await db.get('SELECT 1 AS ok FROM "_authTokens" WHERE "hash" = ? AND "type" = ? AND "recordRef" = ?', [hash, type, record.id]);
      if (!row) return null;
      return { collection, record, claims: payload as unknown as EmailTokenClaims, hash };
    },

    consume: async (verified) => (await db.run('DELETE FROM "_authTokens" WHERE "hash" = ?', [verified.hash])).changes > 0,

    async forgetRecord(collectionId, recordId) {
      await db.run('DELETE FROM "_authTokens" WHERE "collectionRef" = ? AND "recordRef" = ?', [collectionId, recordId]);
    },
  };
}
