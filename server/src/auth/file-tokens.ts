/**
 * Short-lived file tokens (PocketBase's `POST /api/files/token`): `{id, collectionId, type:"file",
 * exp}` signed with the record's key plus a file-only suffix, so an auth token never passes as a
 * file token nor the reverse. Lifetime: the collection's `fileToken.duration` (default 180 s).
 */
import type { SqlQueryable } from '../db/index.ts';
import type { Collection } from '../collections/model.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import { newId } from '../shared/ids.ts';
import { decodeJwtUnverified, signJwt, verifyJwt } from './jwt.ts';
import { findAuthCollection, getAuthRecord, type AuthRecord } from './auth-records.ts';
import { signingKey } from './tokens.ts';

/** PocketBase's default file token lifetime, in seconds. */
export const DEFAULT_FILE_TOKEN_DURATION = 180;
const FILE_KEY_SUFFIX = '\u0000file';

const fileKey = (collection: Collection, tokenKey: unknown): string | null => {
  const key = signingKey(collection, tokenKey);
  return key === null ? null : key + FILE_KEY_SUFFIX;
};

export function issueFileToken(collection: Collection, record: AuthRecord, nowMs = Date.now()): string | null {
  const key = fileKey(collection, record.tokenKey);
  if (!key) return null;
  const duration = (collection.auth as { fileToken?: { duration?: number } } | undefined)?.fileToken?.duration ?? DEFAULT_FILE_TOKEN_DURATION;
  return signJwt({ id: record.id, collectionId: collection.id, type: 'file', exp: Math.floor(nowMs / 1000) + duration, jti: newId(8) }, key);
}

/** The auth record behind a valid, unexpired file token, or null. Never throws on bad input. */
export async function verifyFileToken(db: SqlQueryable, registry: CollectionRegistry, token: unknown, nowMs = Date.now()): Promise<{ collection: Collection; record: AuthRecord } | null> {
  const claims = decodeJwtUnverified(token);
  if (!claims || claims.type !== 'file' || typeof claims.id !== 'string' || typeof claims.collectionId !== 'string') return null;
  const collection = findAuthCollection(registry, claims.collectionId);
  if (!collection || collection.id !== claims.collectionId) return null;
  const record = await getAuthRecord(db, collection, claims.id);
  const key = record && fileKey(collection, record.tokenKey);
  if (!record || !key) return null;
  const verified = verifyJwt(token, key, nowMs / 1000);
  return verified && verified.type === 'file' ? { collection, record } : null;
}
