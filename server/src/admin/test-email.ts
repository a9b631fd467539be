/**
 * `POST /api/settings/test/email`: sends one of the auth mail templates, filled with sample
 * values, to an address, so a superuser can check SMTP and the templates. PocketBase's template
 * names: `verification`, `password-reset`, `email-change`, `otp`.
 */
import { composeMail, type AuthMailSettings, type MailKind, type Mailer } from '../auth/index.ts';
import { badRequest, fieldError, validationError, type FieldError } from '../shared/errors.ts';

const TEMPLATES: Record<string, MailKind> = {
  verification: 'verificationTemplate',
  'password-reset': 'resetPasswordTemplate',
  'email-change': 'confirmEmailChangeTemplate',
  otp: 'otpTemplate',
};
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** An address longer than this is not one (RFC 5321 caps a path at 254 characters). */
const MAX_EMAIL_LENGTH = 254;

export async function sendTestEmail(mailer: Mailer, settings: AuthMailSettings, body: Record<string, unknown>): Promise<void> {
  const errors: Record<string, FieldError> = {};
  const template = typeof body.template === 'string' ? body.template : '';
  const email = typeof body.email === 'string' ? body.email.trim() : '';
  if (!template) errors.template = fieldError('validation_required', 'Cannot be blank.');
  else if (!(template in TEMPLATES)) errors.template = fieldError('validation_in_invalid', 'Must be a valid value.');
  if (!email) errors.email = fieldError('validation_required', 'Cannot be blank.');
  else if (email.length > MAX_EMAIL_LENGTH || !EMAIL.test(email)) errors.email = fieldError('validation_is_email', 'Must be a valid email address.');
  if (Object.keys(errors).length > 0) throw validationError('Failed to send the test email.', errors);
  const sample = { id: 'TEST_RECORD_ID', email, emailVisibility: false, verified: false };
  const mail = composeMail(settings, TEMPLATES[template]!, email, { TOKEN: 'TEST_TOKEN', OTP: '123456', OTP_ID: 'TEST_OTP_ID' }, sample);
  if (!(await mailer.send(mail))) throw badRequest('Failed to send the test email.');
}
