/**
 * The auth mails and their placeholders (PocketBase's): `{APP_NAME}`, `{APP_URL}`, `{TOKEN}`,
 * `{OTP}`, `{OTP_ID}` and `{RECORD:field}` (any non-secret field of the recipient's record).
 * Templates are editable in settings (`meta.*Template`); values substituted into the HTML body
 * are HTML-escaped, and a plain-text part is derived from the result.
 */

export interface EmailTemplate {
  subject: string;
  body: string;
}

export interface MailTemplates {
  verificationTemplate: EmailTemplate;
  resetPasswordTemplate: EmailTemplate;
  confirmEmailChangeTemplate: EmailTemplate;
  otpTemplate: EmailTemplate;
}

export type MailKind = keyof MailTemplates;

const signOff = '<p>\n  Thanks,<br/>\n  {APP_NAME} team\n</p>';

export const DEFAULT_MAIL_TEMPLATES: Readonly<MailTemplates> = Object.freeze({
  verificationTemplate: {
    subject: 'Verify your {APP_NAME} email',
    body: `<p>Hello,</p>
<p>Thank you for joining us at {APP_NAME}.</p>
<p>Click on the link below to verify your email address.</p>
<p><a class="btn" href="{APP_URL}/_/#/auth/confirm-verification/{TOKEN}" target="_blank" rel="noopener">Verify</a></p>
<p><i>If you didn't recently register, please ignore this email.</i></p>
${signOff}`,
  },
  resetPasswordTemplate: {
    subject: 'Reset your {APP_NAME} password',
    body: `<p>Hello,</p>
<p>Click on the link below to reset your password.</p>
<p><a class="btn" href="{APP_URL}/_/#/auth/confirm-password-reset/{TOKEN}" target="_blank" rel="noopener">Reset password</a></p>
<p><i>If you didn't ask to reset your password, please ignore this email.</i></p>
${signOff}`,
  },
  confirmEmailChangeTemplate: {
    subject: 'Confirm your {APP_NAME} new email address',
    body: `<p>Hello,</p>
<p>Click on the link below to confirm your new email address.</p>
<p><a class="btn" href="{APP_URL}/_/#/auth/confirm-email-change/{TOKEN}" target="_blank" rel="noopener">Confirm new email</a></p>
<p><i>If you didn't ask to change your email address, please ignore this email.</i></p>
${signOff}`,
  },
  otpTemplate: {
    subject: 'OTP for {APP_NAME}',
    body: `<p>Hello,</p>
<p>Your one-time password is: <strong>{OTP}</strong></p>
<p><i>If you didn't ask for the one-time password, you can ignore this email.</i></p>
${signOff}`,
  },
});

const SECRET_FIELDS = new Set(['password', 'tokenKey']);

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

function htmlToText(html: string): string {
  return html
    .replace(/<a\b[^>]*href="([^"]*)"[^>]*>(.*?)<\/a>/gis, '$2: $1')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

/** Fills a template. `vars` are the simple placeholders (`APP_NAME` → `{APP_NAME}`). */
export function renderTemplate(
  template: EmailTemplate,
  vars: Record<string, string>,
  record: Record<string, unknown> = {},
): RenderedMail {
  const fill = (text: string, escape: (s: string) => string): string =>
    text.replace(/\{(RECORD:)?([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, isRecord: string | undefined, name: string) => {
      if (isRecord) {
        if (SECRET_FIELDS.has(name) || !(name in record)) return whole;
        const v = record[name];
        return escape(v === null || v === undefined ? '' : String(v));
      }
      return name in vars ? escape(vars[name]!) : whole;
    });
  const html = fill(template.body, escapeHtml);
  // A subject is one header line, whatever the template or a record value holds.
  const subject = fill(template.subject, (s) => s).replace(/[\r\n]+/g, ' ');
  return { subject, html, text: htmlToText(html) };
}

/** The settings the auth mails need (settings → meta). */
export interface AuthMailSettings {
  appName: string;
  appURL: string;
  templates: MailTemplates;
}

/** One ready-to-send auth mail of `kind` to `to`. */
export function composeMail(
  settings: AuthMailSettings,
  kind: MailKind,
  to: string,
  vars: Record<string, string>,
  record: Record<string, unknown>,
): RenderedMail & { to: string } {
  const template = settings.templates[kind] ?? DEFAULT_MAIL_TEMPLATES[kind];
  const appURL = settings.appURL.replace(/\/+$/, '');
  return { to, ...renderTemplate(template, { APP_NAME: settings.appName, APP_URL: appURL, ...vars }, record) };
}
