/**
 * The last step shared by every sign-in method (password, OTP, OAuth2), after the credential
 * itself checked out: the collection's authRule, then MFA, then a session token. Like
 * PocketBase's RecordAuthResponse.
 */
import type { SqlQueryable } from '../db/index.ts';
import type { Collection } from '../collections/model.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import { inContext, type RequestInfo } from '../rules/index.ts';
import { forbidden } from '../shared/errors.ts';
import { SUPERUSERS_COLLECTION, type AuthRecord } from './auth-records.ts';
import { assertAuthRule } from './auth-rule.ts';
import type { AuthMethod, Mfa } from './mfa.ts';
import type { SessionService } from './sessions.ts';
import type { AuthHooks } from './auth-hooks.ts';

/** What a sign-in request carries besides its credential. */
export interface AuthRequest {
  /** The request as rules see it (the caller's own token, if any, is `info.auth`). */
  info: RequestInfo;
  ip: string;
  userAgent: string;
  /** From a previous first factor (query or body `mfaId`). */
  mfaId?: string;
}

export type AuthOutcome =
  | { kind: 'token'; token: string; collection: Collection; record: AuthRecord; meta?: Record<string, unknown> }
  | { kind: 'mfa'; mfaId: string };

export type FinishAuth = (
  collection: Collection,
  record: AuthRecord,
  method: AuthMethod,
  request: AuthRequest,
  meta?: Record<string, unknown>,
) => Promise<AuthOutcome>;

export interface FinishAuthDeps {
  db: SqlQueryable;
  registry: CollectionRegistry;
  sessions: SessionService;
  mfa: Mfa;
  hooks?: AuthHooks;
  /** False when a superuser may not sign in from this address (the `superuserIPs` setting). */
  superuserAllowedFrom?: (ip: string) => boolean;
}

export function createFinishAuth(deps: FinishAuthDeps): FinishAuth {
  return async (collection, record, method, request, meta) => {
    if (collection.name === SUPERUSERS_COLLECTION && deps.superuserAllowedFrom && !deps.superuserAllowedFrom(request.ip)) {
      throw forbidden('Superusers may not sign in from this address.');
    }
    // The sign-in's rules see `@request.context` = the method ("password", "otp", "oauth2").
    const info = inContext(request.info, method);
    await assertAuthRule(deps, collection, record, info);
    deps.hooks?.beforeSignIn({ collection, record, method, info });
    const mfaId = await deps.mfa.check(collection, record, method, request.mfaId, info);
    if (mfaId) return { kind: 'mfa', mfaId };
    const token = await deps.sessions.issue(collection, record, { ip: request.ip, userAgent: request.userAgent });
    return { kind: 'token', token, collection, record, ...(meta ? { meta } : {}) };
  };
}
