/**
 * The mailed-link flows, PocketBase-compatible: verification, password reset and email change.
 * `request-*` answers the same (204) whether or not the address belongs to an account and
 * mails after answering; `confirm-*` takes a single-use expiring link token (email-tokens.ts).
 * Writes go through the RecordWriter, so a new password or email rotates the tokenKey and ends
 * every session, exactly like a REST update.
 */
import type { SqlEngine } from '../db/index.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import { findField, type Collection } from '../collections/model.ts';
import { badRequest, fieldError, validationError, type FieldError } from '../shared/errors.ts';
import { findAuthCollection, SUPERUSERS_COLLECTION, type AuthRecord } from './auth-records.ts';
import { decodeJwtUnverified } from './jwt.ts';
import { createExternalAuths } from './oauth2/external-auths.ts';
import { findAuthRecordByEmail, validateEmailInput } from './email-input.ts';
import type { EmailTokens, EmailTokenType, VerifiedEmailToken } from './email-tokens.ts';
import { composeMail, type AuthMailSettings, type MailKind } from './mail-templates.ts';
import type { Mailer } from './mailer.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, verifyPassword } from './password.ts';
import { enforceRateLimits, type RateLimiter } from './rate-limit.ts';
import type { RecordWriter } from './record-writer.ts';
import { randomPassword } from './random-password.ts';

/** What a flow that finds an auth record by email, mails it and writes it needs (here and otp.ts). */
export interface AuthMailDeps {
  db: SqlEngine;
  registry: CollectionRegistry;
  rateLimiter: RateLimiter;
  mailer: Mailer;
  mailSettings: () => AuthMailSettings;
  writer: RecordWriter;
}

export interface EmailFlowDeps extends AuthMailDeps {
  tokens: EmailTokens;
}

export interface Meta {
  ip: string;
}

export interface EmailFlows {
  requestVerification(collection: Collection, email: unknown, meta: Meta): Promise<void>;
  confirmVerification(collection: Collection, token: unknown, meta: Meta): Promise<void>;
  requestPasswordReset(collection: Collection, email: unknown, meta: Meta): Promise<void>;
  confirmPasswordReset(collection: Collection, body: Record<string, unknown>, meta: Meta): Promise<void>;
  requestEmailChange(collection: Collection, caller: AuthRecord, newEmail: unknown, meta: Meta): Promise<void>;
  confirmEmailChange(collection: Collection, body: Record<string, unknown>, meta: Meta): Promise<void>;
}

const INVALID_DATA = 'An error occurred while validating the submitted data.';
const invalid = (fields: Record<string, FieldError>) => validationError(INVALID_DATA, fields);
const required = () => fieldError('validation_required', 'Cannot be blank.');
const invalidToken = (message: string) =>
  badRequest(message, { token: fieldError('validation_invalid_token', 'Invalid or expired token.') });

const MAIL_OF: Record<EmailTokenType, MailKind> = {
  verification: 'verificationTemplate',
  passwordReset: 'resetPasswordTemplate',
  emailChange: 'confirmEmailChangeTemplate',
};

function noSuperusers(collection: Collection, message: string): void {
  if (collection.name === SUPERUSERS_COLLECTION) throw badRequest(message);
}

function passwordErrors(collection: Collection, body: Record<string, unknown>): Record<string, FieldError> {
  const errors: Record<string, FieldError> = {};
  const min = Number(findField(collection, 'password')?.min ?? MIN_PASSWORD_LENGTH) || MIN_PASSWORD_LENGTH;
  const { password, passwordConfirm } = body;
  if (typeof password !== 'string' || password === '') errors.password = required();
  else if (password.length < min || password.length > MAX_PASSWORD_LENGTH) {
    errors.password = fieldError('validation_length_out_of_range', `The length must be between ${min} and ${MAX_PASSWORD_LENGTH}.`);
  }
  if (typeof passwordConfirm !== 'string' || passwordConfirm === '') errors.passwordConfirm = required();
  else if (passwordConfirm !== password) errors.passwordConfirm = fieldError('validation_values_mismatch', "Values don't match.");
  return errors;
}

export function createEmailFlows(deps: EmailFlowDeps): EmailFlows {
  const { db, rateLimiter, tokens, writer } = deps;

  const limitIp = (meta: Meta, rule: 'auth-email:ip' | 'auth-confirm:ip'): void | Promise<void> => enforceRateLimits(rateLimiter, [[meta.ip, rule]]);

  function limitIdentity(collection: Collection, flow: string, who: string): void | Promise<void> {
    return enforceRateLimits(rateLimiter, [[`${flow}:${collection.id}:${who.toLowerCase()}`, 'auth-email:identity']]);
  }

  /** False while a mail of this flow to this record was sent in the last two minutes (then nothing is sent, still 204). */
  async function mayResend(collection: Collection, record: AuthRecord, type: EmailTokenType): Promise<boolean> {
    return (await rateLimiter.check(`${type}:${collection.id}:${record.id}`, 'auth-email:resend')).ok;
  }

  async function mailLink(collection: Collection, record: AuthRecord, type: EmailTokenType, to: string, newEmail?: string): Promise<void> {
    const token = await tokens.issue(collection, record, type, newEmail ? { newEmail } : {});
    deps.mailer.sendLater(composeMail(deps.mailSettings(), MAIL_OF[type], to, { TOKEN: token }, record));
  }

  /** Why a token is refused, as PocketBase's field error (decoding only the client's own token). */
  async function tokenError(collection: Collection, raw: unknown, type: EmailTokenType): Promise<FieldError | null> {
    if (typeof raw !== 'string' || raw === '') return required();
    if (await tokens.verify(collection, raw, type)) return null;
    const claims = decodeJwtUnverified(raw);
    if (claims && claims.collectionId !== collection.id && findAuthCollection(deps.registry, String(claims.collectionId ?? ''))) {
      return fieldError('validation_token_collection_mismatch', 'The provided token is for different auth collection.');
    }
    if (claims && type === 'emailChange' && claims.type !== type) return fieldError('validation_invalid_token_payload', 'Invalid token payload - newEmail must be set.');
    return fieldError('validation_invalid_token', 'Invalid or expired token.');
  }

  /** Verifies a link token (400 if invalid) without using it up. */
  async function checkToken(collection: Collection, raw: unknown, type: EmailTokenType, message: string): Promise<VerifiedEmailToken> {
    if (typeof raw !== 'string' || raw === '') throw invalid({ token: required() });
    const verified = await tokens.verify(collection, raw, type);
    if (!verified) throw badRequest(message, { token: (await tokenError(collection, raw, type))! });
    return verified;
  }

  /** Links made before the mailbox was proven are dropped once it is (PocketBase's pre-hijack guard). */
  const dropLinks = (collection: Collection, recordId: string) => createExternalAuths(db).forgetRecord(collection.id, recordId);

  async function use(verified: VerifiedEmailToken, message: string): Promise<void> {
    if (!(await tokens.consume(verified))) throw invalidToken(message);
  }

  return {
    async requestVerification(collection, rawEmail, meta) {
      await limitIp(meta, 'auth-email:ip');
      noSuperusers(collection, 'All superusers are verified by default.');
      const email = validateEmailInput(rawEmail, 'email');
      await limitIdentity(collection, 'verification', email);
      const record = await findAuthRecordByEmail(db, collection, email);
      if (record && !record.verified && (await mayResend(collection, record, 'verification'))) await mailLink(collection, record, 'verification', String(record.email));
    },

    async confirmVerification(collection, rawToken, meta) {
      await limitIp(meta, 'auth-confirm:ip');
      noSuperusers(collection, 'All superusers are verified by default.');
      const message = 'Invalid or expired verification token.';
      const verified = await checkToken(collection, rawToken, 'verification', message);
      if (verified.claims.email !== verified.record.email) throw invalidToken(message);
      await use(verified, message);
      if (verified.record.verified) return;
      await dropLinks(collection, verified.record.id);
      const body: Record<string, unknown> = { verified: true };
      // PocketBase: without password auth nobody should be able to use a pre-set password.
      if (collection.auth?.passwordAuth?.enabled === false) body.password = body.passwordConfirm = randomPassword();
      await writer.update(collection, verified.record.id, body);
    },

    async requestPasswordReset(collection, rawEmail, meta) {
      await limitIp(meta, 'auth-email:ip');
      if (collection.auth?.passwordAuth?.enabled === false) {
        throw badRequest('The collection is not configured to allow password authentication.');
      }
      const email = validateEmailInput(rawEmail, 'email');
      await limitIdentity(collection, 'passwordReset', email);
      const record = await findAuthRecordByEmail(db, collection, email);
      if (record && (await mayResend(collection, record, 'passwordReset'))) await mailLink(collection, record, 'passwordReset', String(record.email));
    },

    async confirmPasswordReset(collection, body, meta) {
      await limitIp(meta, 'auth-confirm:ip');
      const message = 'Invalid or expired password reset token.';
      const errors = passwordErrors(collection, body);
      if (Object.keys(errors).length > 0) {
        // Like PocketBase, one answer names every problem, the token's included.
        const token = await tokenError(collection, body.token, 'passwordReset');
        throw invalid(token ? { token, ...errors } : errors);
      }
      const verified = await checkToken(collection, body.token, 'passwordReset', message);
      await use(verified, message);
      const update: Record<string, unknown> = { password: body.password, passwordConfirm: body.passwordConfirm };
      // The link reached the mailbox, which proves the address (PocketBase does the same).
      if (!verified.record.verified && verified.claims.email === verified.record.email) {
        update.verified = true;
        await dropLinks(collection, verified.record.id);
      }
      await writer.update(collection, verified.record.id, update);
    },

    async requestEmailChange(collection, caller, rawNewEmail, meta) {
      await limitIp(meta, 'auth-email:ip');
      noSuperusers(collection, 'All superusers can change their emails directly.');
      const newEmail = validateEmailInput(rawNewEmail, 'newEmail');
      if (newEmail.toLowerCase() === String(caller.email ?? '').toLowerCase()) {
        throw invalid({ newEmail: fieldError('validation_in_invalid', 'Must be a different email address.') });
      }
      await limitIdentity(collection, 'emailChange', caller.id);
      // A taken address gets no mail and the same 204: the answer must not reveal accounts.
      if (await findAuthRecordByEmail(db, collection, newEmail)) return;
      await mailLink(collection, caller, 'emailChange', newEmail, newEmail);
    },

    async confirmEmailChange(collection, body, meta) {
      await limitIp(meta, 'auth-confirm:ip');
      noSuperusers(collection, 'All superusers can change their emails directly.');
      const message = 'Invalid or expired token.';
      const errors: Record<string, FieldError> = {};
      if (typeof body.token !== 'string' || body.token === '') errors.token = required();
      if (typeof body.password !== 'string' || body.password === '') errors.password = required();
      if (Object.keys(errors).length > 0) throw invalid(errors);
      const verified = await checkToken(collection, body.token, 'emailChange', message);
      const newEmail = verified.claims.newEmail;
      if (typeof newEmail !== 'string' || newEmail === '') throw invalidToken(message);
      if (!(await verifyPassword(String(body.password).slice(0, MAX_PASSWORD_LENGTH + 1), verified.record.password))) {
        throw invalid({ password: fieldError('validation_invalid_password', 'Missing or invalid auth record password.') });
      }
      const taken = await findAuthRecordByEmail(db, collection, newEmail);
      if (taken && taken.id !== verified.record.id) {
        throw badRequest(message, { token: fieldError('validation_invalid_token_email', 'The new email address is invalid.') });
      }
      await use(verified, message);
      await dropLinks(collection, verified.record.id);
      await writer.update(collection, verified.record.id, { email: newEmail, verified: true });
    },
  };
}
