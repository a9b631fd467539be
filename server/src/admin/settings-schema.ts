/**
 * The shape of the runtime settings — PocketBase's sections (meta, logs, smtp, s3, backups,
 * batch, rateLimits) plus Hearth's mail templates in `meta` — their defaults and validation.
 * Validation failures come back as PocketBase's nested field errors
 * (`{meta: {appName: {code, message}}}`).
 */
import { z } from 'zod';
import { fieldError, type FieldError } from '../shared/errors.ts';
import { DEFAULT_AUTH_RATE_LIMITS, DEFAULT_MAIL_TEMPLATES, isIpOrSubnet, type MailTemplates } from '../auth/index.ts';
import { isRateLimitLabel, RATE_LIMIT_AUDIENCES } from './rate-limit-rules.ts';

/** Longest accepted text of any single settings value (templates excepted). */
const MAX_TEXT = 1000;
/** Mail template bodies are HTML documents; 100 KB is far above any real one. */
const MAX_TEMPLATE_BODY = 100_000;
/** Rules are scanned per request: keep the list short enough that this stays negligible. */
export const MAX_RATE_LIMIT_RULES = 100;
/** The largest batch PocketBase's own admin UI lets one configure is far below this. */
export const MAX_BATCH_REQUESTS_SETTING = 1000;
/** A batch holds the write lock for its whole run; a minute is already very long. */
export const MAX_BATCH_TIMEOUT_SECONDS = 600;

/** PocketBase's code for a bad entry (its spelling). */
const ipOrSubnet = z
  .string()
  .max(100)
  .refine(isIpOrSubnet, { message: 'Invalid IP or CIDR subnet.', params: { pb: 'validation_invlaid_ip_or_subnet' } });
/** Longest `superuserIPs` / `rateLimits.excludedIPs` list. */
export const MAX_IP_LIST = 1000;

const template = z.object({ subject: z.string().min(1).max(MAX_TEXT), body: z.string().min(1).max(MAX_TEMPLATE_BODY) });
const text = z.string().max(MAX_TEXT);
const CRON = /^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|(\S+\s+){4}\S+)$/;

const s3 = z
  .object({
    enabled: z.boolean(),
    bucket: text,
    region: text,
    endpoint: text,
    accessKey: text,
    secret: text,
    forcePathStyle: z.boolean(),
  })
  .superRefine((v, ctx) => {
    if (v.endpoint !== '' && !URL.canParse(v.endpoint)) ctx.addIssue({ code: 'custom', path: ['endpoint'], message: 'Must be a valid URL.', params: { pb: 'validation_is_url' } });
    if (!v.enabled) return;
    for (const key of ['endpoint', 'bucket', 'region', 'accessKey', 'secret'] as const) {
      if (v[key] === '') ctx.addIssue({ code: 'custom', path: [key], message: 'Cannot be blank.', params: { pb: 'validation_required' } });
    }
  });

const rateLimitRule = z.object({
  label: z.string().min(1).max(MAX_TEXT).refine(isRateLimitLabel, { message: 'Must be a tag, a path (prefix), "METHOD /path" or "collection:action".', params: { pb: 'validation_match_invalid' } }),
  audience: z.enum(RATE_LIMIT_AUDIENCES),
  duration: z.number().int().min(1).max(86_400 * 30),
  maxRequests: z.number().int().min(1).max(1_000_000),
});

export const SETTINGS_SCHEMA = z.object({
  meta: z.object({
    appName: z.string().min(1).max(255),
    appURL: z.string().min(1).max(2000).url(),
    senderName: z.string().min(1).max(255),
    senderAddress: z.string().min(1).max(255).email(),
    accentColor: z.string().regex(/^(#[0-9a-fA-F]{6})?$/, 'Must be a #rrggbb color.'),
    hideControls: z.boolean(),
    verificationTemplate: template,
    resetPasswordTemplate: template,
    confirmEmailChangeTemplate: template,
    otpTemplate: template,
  }),
  logs: z.object({
    maxDays: z.number().int().min(0).max(36_500),
    minLevel: z.number().int().min(-100).max(100),
    logIP: z.boolean(),
    logAuthId: z.boolean(),
  }),
  smtp: z
    .object({
      enabled: z.boolean(),
      host: z.string().max(255),
      port: z.number().int().min(0).max(65535),
      username: text,
      password: text,
      authMethod: z.enum(['', 'PLAIN', 'LOGIN']),
      tls: z.boolean(),
      localName: z.string().max(255),
    })
    .superRefine((v, ctx) => {
      if (v.enabled && v.host === '') ctx.addIssue({ code: 'custom', path: ['host'], message: 'Cannot be blank.', params: { pb: 'validation_required' } });
      if (v.enabled && v.port === 0) ctx.addIssue({ code: 'custom', path: ['port'], message: 'Cannot be blank.', params: { pb: 'validation_required' } });
    }),
  s3,
  backups: z
    .object({ cron: z.string().max(255), cronMaxKeep: z.number().int().min(0).max(10_000), s3 })
    .superRefine((v, ctx) => {
      if (v.cron !== '' && !CRON.test(v.cron.trim())) ctx.addIssue({ code: 'custom', path: ['cron'], message: 'Invalid cron expression.', params: { pb: 'validation_invalid_cron' } });
      if (v.cron !== '' && v.cronMaxKeep < 1) ctx.addIssue({ code: 'custom', path: ['cronMaxKeep'], message: 'Cannot be blank.', params: { pb: 'validation_required' } });
    }),
  batch: z.object({
    enabled: z.boolean(),
    maxRequests: z.number().int().min(0).max(MAX_BATCH_REQUESTS_SETTING),
    timeout: z.number().int().min(0).max(MAX_BATCH_TIMEOUT_SECONDS),
    maxBodySize: z.number().int().min(0),
  }),
  /** When not empty, superusers are refused from any other address (PocketBase's `superuserIPs`). */
  superuserIPs: z.array(ipOrSubnet).max(MAX_IP_LIST),
  rateLimits: z
    .object({
      enabled: z.boolean(),
      rules: z.array(rateLimitRule).max(MAX_RATE_LIMIT_RULES),
      // Not checked entry by entry: lists stored before subnets were read stay readable; the
      // matcher skips what is not an address or subnet.
      excludedIPs: z.array(z.string().min(1).max(100)).max(MAX_IP_LIST),
    })
    .superRefine((v, ctx) => {
      const seen: string[] = [];
      v.rules.forEach((rule, i) => {
        const key = `${rule.label}@@${rule.audience}`;
        if (seen.some((s) => s.startsWith(key) || key.startsWith(s))) {
          ctx.addIssue({ code: 'custom', path: ['rules', i, 'label'], message: `Rate limit rule configuration with label ${rule.label} already exists or conflicts with another rule.`, params: { pb: 'validation_conflicting_rate_limit_rule' } });
        } else seen.push(key);
      });
    }),
});

export type Settings = z.infer<typeof SETTINGS_SCHEMA>;
export type RateLimitSetting = Settings['rateLimits']['rules'][number];
export type S3Settings = Settings['s3'];
export type BatchSettings = Settings['batch'];

/** Hearth's own auth buckets (see auth/rate-limit.ts) as settings rules. */
export function builtInRateLimitRules(): RateLimitSetting[] {
  return Object.entries(DEFAULT_AUTH_RATE_LIMITS).map(([label, r]) => ({ label, audience: '', duration: r.windowSeconds, maxRequests: r.limit }));
}

const emptyS3 = (): S3Settings => ({ enabled: false, bucket: '', region: '', endpoint: '', accessKey: '', secret: '', forcePathStyle: false });

export function defaultSettings(appURL: string): Settings {
  const templates = structuredClone(DEFAULT_MAIL_TEMPLATES) as MailTemplates;
  return {
    meta: { appName: 'Hearth', appURL, senderName: 'Support', senderAddress: 'noreply@example.com', accentColor: '', hideControls: false, ...templates },
    logs: { maxDays: 5, minLevel: 0, logIP: true, logAuthId: false },
    smtp: { enabled: false, host: '', port: 587, username: '', password: '', authMethod: '', tls: false, localName: '' },
    s3: emptyS3(),
    backups: { cron: '', cronMaxKeep: 3, s3: emptyS3() },
    // Enabled by default (PocketBase ships it off): Hearth's SDK and examples rely on it.
    batch: { enabled: true, maxRequests: 50, timeout: 3, maxBodySize: 0 },
    rateLimits: { enabled: true, rules: builtInRateLimitRules(), excludedIPs: [] },
    superuserIPs: [],
  };
}

/** PocketBase's codes for the common zod failures; custom checks carry theirs in `params.pb`. */
function codeOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'custom' && typeof issue.params?.pb === 'string') return issue.params.pb;
  if (issue.code === 'too_small') return issue.origin === 'string' && issue.minimum === 1 ? 'validation_required' : issue.origin === 'array' ? 'validation_length_too_short' : 'validation_min_greater_equal_than_required';
  if (issue.code === 'too_big') return issue.origin === 'string' || issue.origin === 'array' ? 'validation_length_out_of_range' : 'validation_max_less_equal_than_required';
  if (issue.code === 'invalid_format') return issue.format === 'email' ? 'validation_is_email' : issue.format === 'url' ? 'validation_is_url' : 'validation_match_invalid';
  if (issue.code === 'invalid_value') return 'validation_in_invalid';
  return 'validation_invalid_value';
}

/** zod issues → `{section: {key: {code, message}}}` (arrays keyed by index, as PocketBase). */
export function settingsErrors(error: z.ZodError): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const issue of error.issues) {
    let node = out;
    const path = issue.path.map(String);
    path.slice(0, -1).forEach((key) => {
      const next = node[key];
      node = (next && typeof next === 'object' && !('code' in next) ? next : (node[key] = {})) as Record<string, unknown>;
    });
    const leaf = path.at(-1) ?? 'settings';
    if (!(leaf in node)) node[leaf] = fieldError(codeOf(issue), issue.message) satisfies FieldError;
  }
  return out;
}
