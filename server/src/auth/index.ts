/**
 * auth/ — passwords (scrypt), HS256 tokens backed by `_sessions`, sign-in (password, OTP, OAuth2,
 * MFA), mailed links, rate limits, superusers, the request's AuthContext. Imports db/, shared/,
 * rules/, collections/ types; never hono/http, records/ (writes arrive as an injected RecordWriter).
 * Entry points: createAuth, createMailer, createSessionService, resolveClientIp, upsertSuperuser.
 */
export {
  hashPassword,
  verifyPassword,
  needsRehash,
  isPasswordHash,
  SCRYPT_DEFAULTS,
  MIN_PASSWORD_LENGTH,
  MAX_PASSWORD_LENGTH,
  type ScryptParams,
} from './password.ts';
export { signJwt, verifyJwt, decodeJwtUnverified, MAX_JWT_LENGTH, type JwtPayload } from './jwt.ts';
export { newTokenKey, TOKEN_KEY_LENGTH, type AuthTokenClaims } from './tokens.ts';
export { SUPERUSERS_COLLECTION, findAuthCollection, type AuthRecord } from './auth-records.ts';
export type { SessionRow } from './session-store.ts';
export {
  createSessionService,
  DEFAULT_TOKEN_DURATION_SECONDS,
  MAX_SESSIONS_PER_RECORD,
  type SessionService,
  type SessionServiceDeps,
  type VerifiedAuth,
  type IssueOptions,
} from './sessions.ts';
export {
  createPasswordAuth,
  authFailed,
  type VerifiedCredentials,
  type PasswordAuth,
  type PasswordAuthDeps,
  type AuthMeta,
  type AuthResult,
} from './auth-with-password.ts';
export {
  createRateLimiter,
  enforceRateLimits,
  RateLimitedError,
  DEFAULT_AUTH_RATE_LIMITS,
  type RateLimiter,
  type SyncRateLimiter,
  type RateLimitRule,
  type RateLimitResult,
  type BucketStore,
  type SharedBucketStore,
} from './rate-limit.ts';
export { createFileBucketStore, prepareRateLimitFile, RATE_LIMIT_FILE, RATE_LIMIT_LOCK_WAIT_MS } from './rate-limit-file-store.ts';
export { createEngineBucketStore } from './rate-limit-engine-store.ts';
export { upsertSuperuser, deleteSuperuser, countSuperusers, type SuperuserOptions, type SuperuserTarget } from './superusers.ts';
export { resolveAuth, tokenFromHeader, isSuperuser, ANONYMOUS, type AuthContext } from './auth-context.ts';
export { createAuth, type Auth, type AuthDeps } from './create-auth.ts';
export type { AuthMethods } from './auth-methods.ts';
export type { AuthOutcome, AuthRequest } from './finish-auth.ts';
export type { RecordWriter } from './record-writer.ts';
export { createMailer, type Mailer, type MailerDeps, type OutgoingMail, type SmtpSettings, type MailSender } from './mailer.ts';
export {
  DEFAULT_MAIL_TEMPLATES,
  renderTemplate,
  composeMail,
  type MailKind,
  type MailTemplates,
  type EmailTemplate,
  type AuthMailSettings,
} from './mail-templates.ts';
export { resolveClientIp, normalizeIp } from './client-ip.ts';
export { ipListMatcher, isIpOrSubnet } from './ip-list.ts';
export { generateAppleClientSecret, MAX_APPLE_SECRET_SECONDS } from './oauth2/apple-client-secret.ts';
export { SUPPORTED_PROVIDERS, createProvider, providerTypes, type OAuth2ProviderConfig, type ProviderType } from './oauth2/providers.ts';
export type { AuthHooks, BeforeSignIn } from './auth-hooks.ts';
export { issueFileToken, verifyFileToken, DEFAULT_FILE_TOKEN_DURATION } from './file-tokens.ts';
