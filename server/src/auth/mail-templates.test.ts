import { describe, expect, it } from 'vitest';
import { composeMail, DEFAULT_MAIL_TEMPLATES, renderTemplate } from './mail-templates.ts';
import { createMailer } from './mailer.ts';
import { createLogger } from '../shared/logger.ts';

describe('mail templates', () => {
  it('fill placeholders, escape record values in HTML, never expose secrets', () => {
    const mail = renderTemplate(
      { subject: 'Hi {RECORD:name}\r\nBcc: x@evil.io', body: '<p>{RECORD:name} {RECORD:password} {RECORD:tokenKey} {TOKEN} {UNKNOWN}</p>' },
      { TOKEN: 'abc' },
      { name: '<b>Ann</b>', password: 'scrypt$hash', tokenKey: 'key' },
    );
    expect(mail.subject).toBe('Hi <b>Ann</b> Bcc: x@evil.io');
    expect(mail.html).toBe('<p>&lt;b&gt;Ann&lt;/b&gt; {RECORD:password} {RECORD:tokenKey} abc {UNKNOWN}</p>');
    expect(mail.text).toBe('<b>Ann</b> {RECORD:password} {RECORD:tokenKey} abc {UNKNOWN}');
  });

  it('compose the defaults with app name and URL, and a readable text part', () => {
    const settings = { appName: 'Acme', appURL: 'https://acme.test/', templates: { ...DEFAULT_MAIL_TEMPLATES } };
    const mail = composeMail(settings, 'verificationTemplate', 'a@b.io', { TOKEN: 't.o.k' }, {});
    expect(mail).toMatchObject({ to: 'a@b.io', subject: 'Verify your Acme email' });
    expect(mail.text).toContain('Verify: https://acme.test/_/#/auth/confirm-verification/t.o.k');
  });
});

describe('mailer', () => {
  const smtp = { enabled: false, host: '', port: 587, username: '', password: '', tls: false };
  const sender = { name: 'Support', address: 'noreply@example.com' };
  const mail = { to: 'a@b.io', subject: 'S', html: '<p>B</p>', text: 'B' };

  it('prints mails to the console in dev mode', async () => {
    const printed: string[] = [];
    const mailer = createMailer({ settings: () => ({ sender, smtp }), dev: true, logger: createLogger('silent'), print: (s) => printed.push(s) });
    expect(await mailer.send(mail)).toBe(true);
    expect(printed.join('\n')).toMatch(/From: "Support" <noreply@example.com>[\s\S]*To: a@b\.io[\s\S]*Subject: S[\s\S]*B/);
  });

  it('drops mail with a warning when nothing is configured outside dev', async () => {
    const lines: string[] = [];
    const mailer = createMailer({ settings: () => ({ sender, smtp }), dev: false, logger: createLogger('warn', (l) => lines.push(l)) });
    expect(await mailer.send(mail)).toBe(false);
    expect(lines.join('\n')).toContain('no SMTP configured');
  });

  it('reports (does not throw) when the SMTP server is unreachable', async () => {
    const lines: string[] = [];
    const mailer = createMailer({ settings: () => ({ sender, smtp }), smtpUrl: 'smtp://127.0.0.1:1', dev: false, logger: createLogger('error', (l) => lines.push(l)) });
    expect(await mailer.send(mail)).toBe(false);
    expect(lines.join('\n')).toContain('mail to a@b.io failed');
    mailer.close();
  });
});
