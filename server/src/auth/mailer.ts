/**
 * Outgoing mail through nodemailer. Where mail goes, read at each send so a settings change
 * applies at once: config `smtpUrl` (HEARTH_SMTP_URL) if set, else settings `smtp` if enabled.
 * In `--dev` every mail is also printed to the console; with neither, mails are dropped with a
 * warning. Sending never fails the request that caused it (flows send after answering, so the
 * response time does not depend on whether an account exists); delivery errors are logged.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from '../shared/logger.ts';

export interface SmtpSettings {
  enabled: boolean;
  host: string;
  port: number;
  username: string;
  password: string;
  /** Implicit TLS (usually port 465); otherwise STARTTLS is used when the server offers it. */
  tls: boolean;
  localName?: string;
}

export interface MailSender {
  name: string;
  address: string;
}

export interface OutgoingMail {
  to: string;
  subject: string;
  html: string;
  text: string;
}

export interface MailerDeps {
  settings: () => { sender: MailSender; smtp: SmtpSettings };
  smtpUrl?: string;
  dev: boolean;
  logger: Logger;
  /** Where `--dev` prints mails; stdout by default. */
  print?: (text: string) => void;
}

export interface Mailer {
  /** Delivers one mail; resolves false (and logs) when it could not be sent. */
  send(mail: OutgoingMail): Promise<boolean>;
  /** Sends in the background; for flows that must not wait on SMTP. */
  sendLater(mail: OutgoingMail): void;
  close(): void;
}

/** Generous for a slow relay, short enough that a dead one does not pile up sockets. */
const SMTP_TIMEOUT_MS = 15_000;

type Target = { key: string; options: string | Record<string, unknown> } | null;

function target(deps: MailerDeps, smtp: SmtpSettings): Target {
  const common = { connectionTimeout: SMTP_TIMEOUT_MS, greetingTimeout: SMTP_TIMEOUT_MS, socketTimeout: SMTP_TIMEOUT_MS };
  if (deps.smtpUrl) return { key: `url:${deps.smtpUrl}`, options: deps.smtpUrl };
  if (!smtp.enabled || !smtp.host) return null;
  const options = {
    ...common,
    host: smtp.host,
    port: smtp.port,
    secure: smtp.tls,
    ...(smtp.localName ? { name: smtp.localName } : {}),
    ...(smtp.username ? { auth: { user: smtp.username, pass: smtp.password } } : {}),
  };
  return { key: JSON.stringify(options), options };
}

const formatForConsole = (from: string, mail: OutgoingMail): string =>
  ['─── mail (dev) ───', `From: ${from}`, `To: ${mail.to}`, `Subject: ${mail.subject}`, '', mail.text, '──────────────────'].join('\n');

export function createMailer(deps: MailerDeps): Mailer {
  const print = deps.print ?? ((text: string) => process.stdout.write(text + '\n'));
  let current: { key: string; transport: Transporter } | null = null;

  function transportFor(t: NonNullable<Target>): Transporter {
    if (current?.key === t.key) return current.transport;
    current?.transport.close();
    const transport = nodemailer.createTransport(t.options as never);
    current = { key: t.key, transport };
    return transport;
  }

  async function send(mail: OutgoingMail): Promise<boolean> {
    const { sender, smtp } = deps.settings();
    const from = sender.name ? `"${sender.name.replace(/["\\\r\n]/g, '')}" <${sender.address}>` : sender.address;
    if (deps.dev) print(formatForConsole(from, mail));
    const t = target(deps, smtp);
    if (!t) {
      if (!deps.dev) deps.logger.warn(`mail to ${mail.to} not sent: no SMTP configured (set HEARTH_SMTP_URL or settings.smtp)`);
      return deps.dev;
    }
    try {
      await transportFor(t).sendMail({ from, to: mail.to, subject: mail.subject, html: mail.html, text: mail.text });
      return true;
    } catch (err) {
      deps.logger.error(`mail to ${mail.to} failed`, err instanceof Error ? err.message : err);
      return false;
    }
  }

  return {
    send,
    sendLater(mail) {
      void send(mail);
    },
    close() {
      current?.transport.close();
      current = null;
    },
  };
}
