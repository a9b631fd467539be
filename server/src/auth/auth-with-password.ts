/**
 * `auth-with-password`: identity + password → session token. Unknown identity and wrong password
 * fail identically (same 400, same message, one scrypt each — a dummy hash stands in for the
 * missing record) so responses do not reveal which accounts exist.
 */
import { quoteIdent, type SqlQueryable } from '../db/index.ts';
import type { Collection } from '../collections/model.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import { AppError, badRequest, fieldError, forbidden, validationError, type FieldError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { hashPassword, isPasswordHash, MAX_PASSWORD_LENGTH, needsRehash, SCRYPT_DEFAULTS, verifyPassword, type ScryptParams } from './password.ts';
import { findAuthCollection, findAuthRecordByIdentity, identityColumns, MAX_IDENTITY_LENGTH, type AuthRecord } from './auth-records.ts';
import { enforceRateLimits, type RateLimiter } from './rate-limit.ts';
import type { SessionService } from './sessions.ts';

export interface AuthMeta {
  ip?: string;
  userAgent?: string;
}

export interface AuthResult {
  token: string;
  /** The raw row, `password` and `tokenKey` included: serialise before sending. */
  record: AuthRecord;
  collection: Collection;
}

export interface PasswordAuthDeps {
  db: SqlQueryable;
  registry: CollectionRegistry;
  sessions: SessionService;
  rateLimiter: RateLimiter;
  /** Hash parameters for upgrades and the dummy hash; tests pass cheap ones. */
  passwordParams?: ScryptParams;
  /**
   * Runs after the password matched and before a session is issued — the place for the
   * collection's authRule (rules/) or an MFA step. Throw an AppError to refuse.
   */
  beforeIssue?: (collection: Collection, record: AuthRecord) => void | Promise<void>;
}

export interface VerifiedCredentials {
  collection: Collection;
  /** The raw row, `password` and `tokenKey` included: serialise before sending. */
  record: AuthRecord;
}

export interface PasswordAuth {
  /**
   * The first factor alone: rate limits, then identity + password. Resolves with the matched
   * record or rejects with the uniform `authFailed()`; issues nothing (the caller decides about
   * authRule, MFA and the session).
   */
  verifyCredentials(collectionNameOrId: string, identity: unknown, password: unknown, meta?: AuthMeta & { identityField?: unknown }): Promise<VerifiedCredentials>;
  /** verifyCredentials + beforeIssue + a session token. */
  authWithPassword(collectionNameOrId: string, identity: unknown, password: unknown, meta?: AuthMeta): Promise<AuthResult>;
}

export const authFailed = (): AppError => badRequest('Failed to authenticate.');

function validateInput(collection: Collection, identity: unknown, password: unknown, identityField: unknown): { identity: string; password: string; field?: string } {
  const errors: Record<string, FieldError> = {};
  const field = identityField === undefined || identityField === null || identityField === '' ? undefined : identityField;
  if (field !== undefined && (typeof field !== 'string' || !identityColumns(collection).includes(field))) {
    errors.identityField = fieldError('validation_in_invalid', 'Must be a valid value.');
  }
  const check = (name: string, value: unknown, max: number): void => {
    if (typeof value !== 'string' || value === '') errors[name] = fieldError('validation_required', 'Cannot be blank.');
    else if (value.length > max) errors[name] = fieldError('validation_length_out_of_range', `The length must be between 1 and ${max}.`);
  };
  check('identity', identity, MAX_IDENTITY_LENGTH);
  check('password', password, MAX_PASSWORD_LENGTH);
  if (Object.keys(errors).length > 0) throw validationError('An error occurred while validating the submitted data.', errors);
  return { identity: identity as string, password: password as string, ...(field ? { field: field as string } : {}) };
}

export function createPasswordAuth(deps: PasswordAuthDeps): PasswordAuth {
  const { db, registry, sessions, rateLimiter } = deps;
  const params = deps.passwordParams ?? SCRYPT_DEFAULTS;
  let dummyHash: Promise<string> | undefined;
  // Computed once, awaited by every call, so the first unknown identity is not slower than the rest.
  const getDummyHash = (): Promise<string> => (dummyHash ??= hashPassword(newId(32), params));

  async function upgradeHash(collection: Collection, record: AuthRecord, password: string): Promise<void> {
    if (!needsRehash(record.password, params)) return;
    try {
      const hash = await hashPassword(password, params);
      await db.run(`UPDATE ${quoteIdent(collection.name)} SET "password" = ? WHERE "id" = ?`, [hash, record.id]);
    } catch {
      // Best effort: the old hash still works and the next login retries.
    }
  }

  async function verifyCredentials(
    collectionNameOrId: string,
    rawIdentity: unknown,
    rawPassword: unknown,
    meta: AuthMeta & { identityField?: unknown } = {},
  ): Promise<VerifiedCredentials> {
    const ip = meta.ip ?? '';
    await enforceRateLimits(rateLimiter, [[ip, 'auth-with-password:ip']]);
    const collection = findAuthCollection(registry, collectionNameOrId);
    if (!collection) throw new AppError('not_found', 'Missing or invalid auth collection context.');
    if (collection.auth?.passwordAuth?.enabled === false) {
      throw forbidden('The collection is not configured to allow password authentication.');
    }
    const { identity, password, field } = validateInput(collection, rawIdentity, rawPassword, meta.identityField);
    const who = `${collection.id}:${identity.toLowerCase()}`;
    // Consumed before the hash is checked, so parallel guesses cannot race past the limit.
    await enforceRateLimits(rateLimiter, [
      [`${ip}|${who}`, 'auth-with-password:ip-identity'],
      [who, 'auth-with-password:identity'],
    ]);
    const dummy = await getDummyHash();
    const record = await findAuthRecordByIdentity(db, collection, identity, field);
    // A record without a usable hash (e.g. OAuth2-only) costs the same scrypt as a missing one.
    const stored = record && isPasswordHash(record.password) ? record.password : dummy;
    const ok = await verifyPassword(password, stored);
    if (!record || stored === dummy || !ok) throw authFailed();
    await upgradeHash(collection, record, password);
    return { collection, record };
  }

  return {
    verifyCredentials,
    async authWithPassword(collectionNameOrId, rawIdentity, rawPassword, meta = {}) {
      const { collection, record } = await verifyCredentials(collectionNameOrId, rawIdentity, rawPassword, meta);
      await deps.beforeIssue?.(collection, record);
      const token = await sessions.issue(collection, record, { ip: meta.ip, userAgent: meta.userAgent });
      return { token, record, collection };
    },
  };
}
