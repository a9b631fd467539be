/**
 * The auth domain's composition: one call builds every auth service over shared deps, so the
 * server's composition root (main.ts) stays short and http/ receives one object.
 */
import type { SqlDb, SqlEngine } from '../db/index.ts';
import type { Collection } from '../collections/model.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import type { RequestInfo } from '../rules/index.ts';
import { badRequest, forbidden, notFound, unauthorized, fieldError, validationError } from '../shared/errors.ts';
import { getAuthRecord, type AuthRecord } from './auth-records.ts';
import { assertAuthRule } from './auth-rule.ts';
import { listAuthMethods, type AuthMethods } from './auth-methods.ts';
import { createPasswordAuth, type PasswordAuth } from './auth-with-password.ts';
import { createEmailFlows, type EmailFlows } from './email-flows.ts';
import { createEmailTokens, type EmailTokens } from './email-tokens.ts';
import { createFinishAuth, type FinishAuth } from './finish-auth.ts';
import type { AuthMailSettings } from './mail-templates.ts';
import type { Mailer } from './mailer.ts';
import { createMfa, type Mfa } from './mfa.ts';
import { createOAuth2Auth, type OAuth2Auth } from './oauth2/auth-with-oauth2.ts';
import { createOtpAuth, type OtpAuth } from './otp.ts';
import type { ScryptParams } from './password.ts';
import { createRateLimiter, enforceRateLimits, type RateLimiter } from './rate-limit.ts';
import type { RecordWriter } from './record-writer.ts';
import type { SessionRow } from './session-store.ts';
import { createSessionService, type SessionService, type VerifiedAuth } from './sessions.ts';
import type { AuthHooks } from './auth-hooks.ts';

/** Ten years: impersonation longer than that is a mistake, not a policy. */
const MAX_IMPERSONATE_SECONDS = 10 * 365 * 24 * 3600;

export interface AuthDeps {
  engine: SqlEngine;
  /** The synchronous interface on the same database (the realtime hub's token checks). */
  db?: SqlDb;
  registry: CollectionRegistry;
  writer: RecordWriter;
  mailer: Mailer;
  mailSettings: () => AuthMailSettings;
  sessions?: SessionService;
  rateLimiter?: RateLimiter;
  passwordParams?: ScryptParams;
  clock?: () => number;
  /** Sign-in hooks (hooks/ provides them). */
  hooks?: AuthHooks;
  /** False when a superuser may not sign in from this address (the `superuserIPs` setting). */
  superuserAllowedFrom?: (ip: string) => boolean;
}

export interface Auth {
  sessions: SessionService;
  rateLimiter: RateLimiter;
  passwordAuth: PasswordAuth;
  finish: FinishAuth;
  mfa: Mfa;
  otp: OtpAuth;
  emailTokens: EmailTokens;
  emailFlows: EmailFlows;
  oauth2: OAuth2Auth;
  methods(collection: Collection, meta: { ip: string }): Promise<AuthMethods>;
  /** auth-refresh: a new token for the same session, if the collection's authRule still admits the record. */
  refresh(collection: Collection, token: string, info: RequestInfo, meta: { ip: string }): Promise<VerifiedAuth & { token: string }>;
  /** A non-refreshable token for any record; superusers only. `duration` 0/absent = the collection's. */
  impersonate(collection: Collection, recordId: string, duration: unknown, caller: RequestInfo, meta: { ip: string; userAgent: string }): Promise<{ token: string; record: AuthRecord }>;
  listSessions(collection: Collection, recordId: string, meta: { ip: string }): Promise<SessionRow[]>;
  /** Ends one session of the record; false if it is not one of its sessions. */
  signOut(collection: Collection, recordId: string, sessionId: string, meta: { ip: string }): Promise<boolean>;
  /** Rotates the tokenKey: every token and session of the record dies. */
  signOutEverywhere(collection: Collection, recordId: string, meta: { ip: string }): Promise<void>;
  /** Drops one-time codes, links, MFA sessions and provider links of a deleted record. */
  forgetRecord(collectionId: string, recordId: string): Promise<void>;
}

export function createAuth(deps: AuthDeps): Auth {
  const { engine, registry } = deps;
  const db = engine;
  const sessions = deps.sessions ?? createSessionService({ engine, db: deps.db, registry, clock: deps.clock });
  const rateLimiter = deps.rateLimiter ?? createRateLimiter();
  const mfa = createMfa({ db, registry, clock: deps.clock });
  const finish = createFinishAuth({ db, registry, sessions, mfa, hooks: deps.hooks, superuserAllowedFrom: deps.superuserAllowedFrom });
  const passwordAuth = createPasswordAuth({ db, registry, sessions, rateLimiter, passwordParams: deps.passwordParams });
  const emailTokens = createEmailTokens({ db, registry, clock: deps.clock });
  const shared = { db, registry, rateLimiter, mailer: deps.mailer, mailSettings: deps.mailSettings, writer: deps.writer, clock: deps.clock };
  const otp = createOtpAuth(shared);
  const emailFlows = createEmailFlows({ ...shared, tokens: emailTokens });
  const oauth2 = createOAuth2Auth({ db, registry, rateLimiter, writer: deps.writer, finish });
  const limitSession = (ip: string) => enforceRateLimits(rateLimiter, [[ip, 'auth-session:ip']]);

  return {
    sessions,
    rateLimiter,
    passwordAuth,
    finish,
    mfa,
    otp,
    emailTokens,
    emailFlows,
    oauth2,

    async methods(collection, meta) {
      await enforceRateLimits(rateLimiter, [[meta.ip, 'auth-methods:ip']]);
      return listAuthMethods(collection, oauth2);
    },

    async refresh(collection, token, info, meta) {
      await enforceRateLimits(rateLimiter, [[meta.ip, 'auth-refresh:ip']]);
      const current = await sessions.verify(token);
      if (!current) throw unauthorized();
      if (current.collection.id !== collection.id) throw badRequest('The token does not belong to this collection.');
      await assertAuthRule({ db, registry }, collection, current.record, info);
      return sessions.refresh(token);
    },

    async impersonate(collection, recordId, duration, caller, meta) {
      await limitSession(meta.ip);
      if (!caller.auth) throw unauthorized('The request requires valid superuser authorization token.');
      if (!caller.auth.isSuperuser) throw forbidden('Only superusers can impersonate.');
      const seconds = duration === undefined || duration === null || duration === '' ? 0 : Number(duration);
      if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_IMPERSONATE_SECONDS) {
        throw validationError('An error occurred while validating the submitted data.', {
          duration: fieldError('validation_min_greater_equal_than_required', `Must be a whole number of seconds between 0 and ${MAX_IMPERSONATE_SECONDS}.`),
        });
      }
      const record = await getAuthRecord(db, collection, recordId);
      if (!record) throw notFound();
      const token = await sessions.issue(collection, record, { refreshable: false, duration: seconds || undefined, ...meta });
      return { token, record };
    },

    async listSessions(collection, recordId, meta) {
      await limitSession(meta.ip);
      return sessions.list(collection.id, recordId);
    },

    async signOut(collection, recordId, sessionId, meta) {
      await limitSession(meta.ip);
      const mine = (await sessions.list(collection.id, recordId)).some((s) => s.id === sessionId);
      return mine && (await sessions.revoke(sessionId));
    },

    async signOutEverywhere(collection, recordId, meta) {
      await limitSession(meta.ip);
      if (!(await getAuthRecord(db, collection, recordId))) throw notFound();
      await sessions.signOutEverywhere(collection, recordId);
    },

    async forgetRecord(collectionId, recordId) {
      await sessions.revokeAll(collectionId, recordId);
      await otp.forgetRecord(collectionId, recordId);
      await emailTokens.forgetRecord(collectionId, recordId);
      await mfa.forgetRecord(collectionId, recordId);
      await oauth2.externalAuths.forgetRecord(collectionId, recordId);
    },
  };
}
