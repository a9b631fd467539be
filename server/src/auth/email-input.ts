/** Email addresses as auth endpoints receive them: shape checks and the case-insensitive lookup. */
import { quoteIdent, type SqlQueryable } from '../db/index.ts';
import type { Collection } from '../collections/model.ts';
import { fieldError, validationError } from '../shared/errors.ts';
import { MAX_IDENTITY_LENGTH, type AuthRecord } from './auth-records.ts';

/** Pragmatic shape check (local@domain.tld); deliverability is the mail server's business. */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** The trimmed address, or a 400 naming `field`. */
export function validateEmailInput(raw: unknown, field: string): string {
  const email = typeof raw === 'string' ? raw.trim() : '';
  if (email === '') {
    throw validationError('An error occurred while validating the submitted data.', {
      [field]: fieldError('validation_required', 'Cannot be blank.'),
    });
  }
  if (email.length > MAX_IDENTITY_LENGTH || !EMAIL_PATTERN.test(email)) {
    throw validationError('An error occurred while validating the submitted data.', {
      [field]: fieldError('validation_is_email', 'Must be a valid email address.'),
    });
  }
  return email;
}

/** Emails compare case-insensitively (people type their address in any case). */
export async function findAuthRecordByEmail(db: SqlQueryable, collection: Collection, email: string): Promise<AuthRecord | undefined> {
  if (email === '' || email.length > MAX_IDENTITY_LENGTH) return undefined;
  return db.get<AuthRecord>(`SELECT * FROM ${quoteIdent(collection.name)} WHERE ${db.dialect.equalsNoCase('"email"', '?')} LIMIT 1`, [email]);
}
