/**
 * Runtime settings, kept as one JSON document in `_params` (key `settings`): application meta
 * and the auth mail templates, SMTP, and auth rate limits. A PocketBase-like shape, kept small:
 *
 *   { meta: { appName, appURL, senderName, senderAddress,
 *             verificationTemplate, resetPasswordTemplate, confirmEmailChangeTemplate, otpTemplate },
 *     smtp: { enabled, host, port, username, password, tls, localName },
 *     rateLimits: { enabled, rules: [{ label, maxRequests, duration }] } }
 *
 * PATCH merges what was sent over what is stored; `smtp.password` is never sent back (an empty
 * or missing password in a PATCH keeps the stored one). Listeners run after each change.
 */
import { z } from 'zod';
import type { SqlDb } from '../db/index.ts';
import { formatDate } from '../shared/clock.ts';
import { validationError, type FieldError } from '../shared/errors.ts';
import { DEFAULT_AUTH_RATE_LIMITS, DEFAULT_MAIL_TEMPLATES, type MailTemplates, type RateLimitRule, type SmtpSettings } from '../auth/index.ts';

const template = z.object({ subject: z.string().min(1).max(1000), body: z.string().min(1).max(100_000) });

const SCHEMA = z.object({
  meta: z.object({
    appName: z.string().min(1).max(255),
    appURL: z.string().url().max(2000),
    senderName: z.string().max(255),
    senderAddress: z.string().email().max(255),
    verificationTemplate: template,
    resetPasswordTemplate: template,
    confirmEmailChangeTemplate: template,
    otpTemplate: template,
  }),
  smtp: z.object({
    enabled: z.boolean(),
    host: z.string().max(255),
    port: z.number().int().min(1).max(65535),
    username: z.string().max(255),
    password: z.string().max(1000),
    tls: z.boolean(),
    localName: z.string().max(255),
  }),
  rateLimits: z.object({
    enabled: z.boolean(),
    rules: z
      .array(z.object({ label: z.string().min(1).max(100), maxRequests: z.number().int().min(1).max(1_000_000), duration: z.number().int().min(1).max(86_400 * 30) }))
      .max(100),
  }),
});

export type Settings = z.infer<typeof SCHEMA>;
export type RateLimitSetting = Settings['rateLimits']['rules'][number];

export function defaultSettings(appURL: string): Settings {
  const templates: MailTemplates = structuredClone(DEFAULT_MAIL_TEMPLATES) as MailTemplates;
  return {
    meta: { appName: 'Hearth', appURL, senderName: 'Support', senderAddress: 'noreply@example.com', ...templates },
    smtp: { enabled: false, host: '', port: 587, username: '', password: '', tls: false, localName: '' },
    rateLimits: {
      enabled: true,
      rules: Object.entries(DEFAULT_AUTH_RATE_LIMITS).map(([label, r]) => ({ label, maxRequests: r.limit, duration: r.windowSeconds })),
    },
  };
}

export interface SettingsStore {
  get(): Settings;
  /** The settings as superusers see them over HTTP (secrets blanked). */
  toWire(): Settings;
  /** Validates and merges a partial update; throws a 400 naming the bad keys. */
  update(patch: unknown): Settings;
  onChange(listener: (settings: Settings) => void): void;
  /** Re-reads the stored settings (after the database file was replaced) and notifies listeners. */
  reload(): void;
}

const KEY = 'settings';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function merge(base: unknown, patch: unknown): unknown {
  if (!isObject(base) || !isObject(patch)) return patch === undefined ? base : patch;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = merge(base[k], v);
  return out;
}

/** Rules merge by label over the current list, so a PATCH may name only the rules it changes. */
function mergeRules(current: RateLimitSetting[], sent: unknown): unknown {
  if (!Array.isArray(sent)) return sent;
  const byLabel = new Map(current.map((r) => [r.label, r]));
  for (const rule of sent) if (isObject(rule) && typeof rule.label === 'string') byLabel.set(rule.label, { ...byLabel.get(rule.label), ...rule } as RateLimitSetting);
  return [...byLabel.values()];
}

export function createSettingsStore(db: SqlDb, defaults: Settings): SettingsStore {
  const listeners: Array<(s: Settings) => void> = [];
  const read = (): Settings => {
    const row = db.get<{ value: string }>('SELECT "value" FROM "_params" WHERE "key" = ?', [KEY]);
    if (!row) return structuredClone(defaults);
    const parsed = SCHEMA.safeParse(merge(structuredClone(defaults), JSON.parse(row.value)));
    return parsed.success ? parsed.data : structuredClone(defaults);
  };
  let current = read();

  return {
    get: () => current,
    toWire: () => ({ ...current, smtp: { ...current.smtp, password: '' } }),
    update(patch) {
      if (!isObject(patch)) throw validationError('Failed to update settings.', {});
      const sent = structuredClone(patch) as Record<string, Record<string, unknown>>;
      if (isObject(sent.smtp) && (sent.smtp.password === '' || sent.smtp.password === undefined)) delete sent.smtp.password;
      if (isObject(sent.rateLimits) && 'rules' in sent.rateLimits) sent.rateLimits.rules = mergeRules(current.rateLimits.rules, sent.rateLimits.rules);
      const parsed = SCHEMA.safeParse(merge(current, sent));
      if (!parsed.success) {
        const data: Record<string, FieldError> = {};
        for (const issue of parsed.error.issues) data[issue.path.join('.')] = { code: 'validation_invalid_value', message: issue.message };
        throw validationError('Failed to update settings.', data);
      }
      current = parsed.data;
      db.run('INSERT INTO "_params" ("key", "value", "updated") VALUES (?, ?, ?) ON CONFLICT("key") DO UPDATE SET "value" = excluded."value", "updated" = excluded."updated"', [
        KEY,
        JSON.stringify(current),
        formatDate(new Date()),
      ]);
      for (const listener of listeners) listener(current);
      return current;
    },
    onChange(listener) {
      listeners.push(listener);
    },
    reload() {
      current = read();
      for (const listener of listeners) listener(current);
    },
  };
}

/** Settings → the rate limiter's rule table (unknown labels are kept; they may serve a later endpoint). */
export function rateLimitRules(settings: Settings): Record<string, RateLimitRule> {
  // Defaults first: settings saved by an older version must not lack a rule a newer endpoint checks.
  return { ...DEFAULT_AUTH_RATE_LIMITS, ...Object.fromEntries(settings.rateLimits.rules.map((r) => [r.label, { limit: r.maxRequests, windowSeconds: r.duration }])) };
}

/** Settings → what the auth mails need. */
export function authMailSettings(settings: Settings) {
  const { appName, appURL, verificationTemplate, resetPasswordTemplate, confirmEmailChangeTemplate, otpTemplate } = settings.meta;
  return { appName, appURL, templates: { verificationTemplate, resetPasswordTemplate, confirmEmailChangeTemplate, otpTemplate } };
}

/** Settings → the mailer's view. */
export function mailerSettings(settings: Settings): { sender: { name: string; address: string }; smtp: SmtpSettings } {
  return { sender: { name: settings.meta.senderName, address: settings.meta.senderAddress }, smtp: settings.smtp };
}
