/**
 * Email one-time codes, PocketBase's `otpId` flow: `request-otp {email}` mails a numeric code
 * and answers `{otpId}` — a random id for unknown addresses too, so the answer does not tell
 * whether an account exists; `auth-with-otp {otpId, password}` checks the code. Codes live in
 * `_otps` as HMAC-SHA256(tokenSecret, otpId:code) only, expire after `otp.duration` seconds,
 * are single-use, and allow a few guesses per record before a new code is needed.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { Collection } from '../collections/model.ts';
import { badRequest, fieldError, forbidden, validationError } from '../shared/errors.ts';
import { formatDate } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import { getAuthRecord, type AuthRecord } from './auth-records.ts';
import type { AuthMailDeps } from './email-flows.ts';
import { findAuthRecordByEmail, validateEmailInput } from './email-input.ts';
import { composeMail } from './mail-templates.ts';
import { mfaOptions } from './mfa.ts';
import { createExternalAuths } from './oauth2/external-auths.ts';
import { isPasswordHash, verifyPassword } from './password.ts';
import { enforceRateLimits, RateLimitedError } from './rate-limit.ts';
import { randomPassword } from './random-password.ts';

/** PocketBase's defaults. */
export const DEFAULT_OTP_DURATION_SECONDS = 180;
export const DEFAULT_OTP_LENGTH = 8;
/** Codes are typed by people; beyond this a link is the better tool. */
const MAX_OTP_LENGTH = 20;
/**
 * Past this many unexpired codes for one record, request-otp mails nothing and answers the newest
 * code's id (PocketBase's guard against mail bombing when rate limits are off).
 */
export const MAX_ACTIVE_OTPS_PER_RECORD = 10;
/** PocketBase's bounds on the auth-with-otp body. */
const MAX_OTP_ID_LENGTH = 255;
const MAX_OTP_PASSWORD_LENGTH = 71;

interface OtpRow {
  id: string;
  collectionRef: string;
  recordRef: string;
  password: string;
  sentTo: string;
  created: string;
}

export interface OtpDeps extends AuthMailDeps {
  clock?: () => number;
}

export interface OtpAuth {
  request(collection: Collection, email: unknown, meta: { ip: string }): Promise<{ otpId: string }>;
  /** The record whose code matched (the code is consumed), or a 400/429. */
  verify(collection: Collection, otpId: unknown, password: unknown, meta: { ip: string }): Promise<AuthRecord>;
  forgetRecord(collectionId: string, recordId: string): Promise<void>;
}

function options(collection: Collection): { duration: number; length: number } {
  const o = (collection.auth?.otp ?? {}) as { enabled?: boolean; duration?: number; length?: number };
  if (o.enabled !== true) throw forbidden('The collection is not configured to allow OTP authentication.');
  const duration = typeof o.duration === 'number' && o.duration > 0 ? o.duration : DEFAULT_OTP_DURATION_SECONDS;
  const length = typeof o.length === 'number' && o.length >= 4 ? Math.min(Math.floor(o.length), MAX_OTP_LENGTH) : DEFAULT_OTP_LENGTH;
  return { duration, length };
}

const codeHash = (collection: Collection, otpId: string, code: string): string =>
  createHmac('sha256', String(collection.auth?.tokenSecret ?? '')).update(`${otpId}:${code}`).digest('hex');

/** Codes the server mails are HMACs; codes a superuser wrote through the `_otps` collection are password hashes. */
async function codeMatches(collection: Collection, row: OtpRow, code: string): Promise<boolean> {
  if (isPasswordHash(row.password)) return verifyPassword(code, row.password);
  const expected = Buffer.from(row.password, 'hex');
  const actual = Buffer.from(codeHash(collection, row.id, code), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

const invalidOtp = () => badRequest('Invalid or expired OTP.');

function validateVerifyInput(otpId: unknown, password: unknown): { otpId: string; password: string } {
  const errors: Record<string, ReturnType<typeof fieldError>> = {};
  const check = (value: unknown, max: number) => {
    if (typeof value !== 'string' || value === '') return fieldError('validation_required', 'Cannot be blank.');
    if (value.length > max) return fieldError('validation_length_out_of_range', `The length must be between 1 and ${max}.`);
    return undefined;
  };
  const otpIdError = check(otpId, MAX_OTP_ID_LENGTH);
  const passwordError = check(password, MAX_OTP_PASSWORD_LENGTH);
  if (otpIdError) errors.otpId = otpIdError;
  if (passwordError) errors.password = passwordError;
  if (Object.keys(errors).length > 0) throw validationError('An error occurred while validating the submitted data.', errors);
  return { otpId: otpId as string, password: password as string };
}

export function createOtpAuth(deps: OtpDeps): OtpAuth {
  const { db, registry, rateLimiter } = deps;
  const clock = deps.clock ?? Date.now;

  async function sendCode(collection: Collection, record: AuthRecord, length: number): Promise<string> {
    const nowMs = clock();
    const otpId = newId();
    const code = Array.from({ length }, () => randomInt(10)).join('');
    const sentTo = String(record.email ?? '');
    const stamp = formatDate(new Date(nowMs));
    await db.run('INSERT INTO "_otps" ("id", "collectionRef", "recordRef", "password", "sentTo", "created", "updated") VALUES (?, ?, ?, ?, ?, ?, ?)', [
      otpId,
      collection.id,
      record.id,
      codeHash(collection, otpId, code),
      sentTo,
      stamp,
      stamp,
    ]);
    deps.mailer.sendLater(composeMail(deps.mailSettings(), 'otpTemplate', sentTo, { OTP: code, OTP_ID: otpId }, record));
    return otpId;
  }

  async function markVerified(collection: Collection, record: AuthRecord, sentTo: string): Promise<AuthRecord> {
    if (record.verified || !sentTo || String(record.email ?? '').toLowerCase() !== sentTo.toLowerCase()) return record;
    // Like PocketBase: links and codes made before the owner proved the mailbox are dropped.
    await db.run('DELETE FROM "_otps" WHERE "collectionRef" = ? AND "recordRef" = ?', [collection.id, record.id]);
    await createExternalAuths(db).forgetRecord(collection.id, record.id);
    // The code proved the mailbox. Without MFA, a password someone else may have set before the
    // owner proved it (account pre-hijacking) is replaced, which also ends its sessions.
    const body: Record<string, unknown> = { verified: true };
    if (mfaOptions(collection).enabled !== true) body.password = body.passwordConfirm = randomPassword();
    await deps.writer.update(collection, record.id, body);
    return (await getAuthRecord(db, collection, record.id)) ?? record;
  }

  return {
    async request(collection, rawEmail, meta) {
      await enforceRateLimits(rateLimiter, [[meta.ip, 'auth-email:ip']]);
      const { length, duration } = options(collection);
      const email = validateEmailInput(rawEmail, 'email');
      await enforceRateLimits(rateLimiter, [[`otp:${collection.id}:${email.toLowerCase()}`, 'auth-email:identity']]);
      const record = await findAuthRecordByEmail(db, collection, email);
      if (!record) return { otpId: newId() };
      const cutoff = formatDate(new Date(clock() - duration * 1000));
      await db.run('DELETE FROM "_otps" WHERE "collectionRef" = ? AND "recordRef" = ? AND "created" <= ?', [collection.id, record.id, cutoff]);
      const active = await db.all<{ id: string }>(
        `SELECT "id" FROM "_otps" WHERE "collectionRef" = ? AND "recordRef" = ? ORDER BY "created" DESC, ${db.dialect.name === 'sqlite' ? '"rowid"' : '"_rowid_"'} DESC LIMIT ?`,
        [collection.id, record.id, MAX_ACTIVE_OTPS_PER_RECORD],
      );
      if (active.length >= MAX_ACTIVE_OTPS_PER_RECORD) return { otpId: active[0]!.id };
      return { otpId: await sendCode(collection, record, length) };
    },

    async verify(collection, rawOtpId, rawPassword, meta) {
      await enforceRateLimits(rateLimiter, [[meta.ip, 'auth-confirm:ip']]);
      const { duration } = options(collection);
      const input = validateVerifyInput(rawOtpId, rawPassword);
      const row = await db.get<OtpRow>('SELECT * FROM "_otps" WHERE "id" = ?', [input.otpId]);
      if (!row || row.collectionRef !== collection.id) throw invalidOtp();
      if (Date.parse(row.created.replace(' ', 'T')) + duration * 1000 <= clock()) throw invalidOtp();
      const record = await getAuthRecord(db, collection, row.recordRef);
      if (!record) throw invalidOtp();
      const limited = await rateLimiter.check(`${collection.id}:${record.id}`, 'auth-with-otp:record');
      if (!limited.ok) {
        throw new RateLimitedError(limited.retryAfterSeconds, 'Too many attempts, please try again later with a new OTP.');
      }
      if (!(await codeMatches(collection, row, input.password))) throw invalidOtp();
      if ((await db.run('DELETE FROM "_otps" WHERE "id" = ?', [row.id])).changes === 0) throw invalidOtp();
      return markVerified(collection, record, row.sentTo);
    },

    async forgetRecord(collectionId, recordId) {
      await db.run('DELETE FROM "_otps" WHERE "collectionRef" = ? AND "recordRef" = ?', [collectionId, recordId]);
    },
  };
}
