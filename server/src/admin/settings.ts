/**
 * Runtime settings, kept as one JSON document in `_params` (key `settings`), in PocketBase's
 * sections (see settings-schema.ts). PATCH merges what was sent over what is stored, section by
 * section; arrays (rate-limit rules, excluded IPs) are replaced, as in PocketBase. Secrets
 * (`smtp.password`, `s3.secret`, `backups.s3.secret`) are never sent back, and an empty or
 * missing secret in a PATCH keeps the stored one. Listeners run after each change. Reads are
 * served from memory on both engines (`createSettingsStore` on SQLite's `SqlDb`, `openSettingsStore`
 * on the engine).
 */
import { bumpSchemaVersion, type SqlDb, type SqlQueryable } from '../db/index.ts';
import { formatDate } from '../shared/clock.ts';
import { badRequest, validationError } from '../shared/errors.ts';
import { DEFAULT_AUTH_RATE_LIMITS, type RateLimitRule, type SmtpSettings } from '../auth/index.ts';
import { builtInRateLimitRules, SETTINGS_SCHEMA, settingsErrors, type RateLimitSetting, type Settings } from './settings-schema.ts';

export { defaultSettings, type Settings, type RateLimitSetting, type S3Settings, type BatchSettings } from './settings-schema.ts';

export interface SettingsStore {
  get(): Settings;
  /** The settings as superusers see them over HTTP (secrets left out). */
  toWire(): Record<string, unknown>;
  /** Validates, merges and stores a partial update; rejects with a 400 naming the bad keys. */
  update(patch: unknown): Promise<Settings>;
  onChange(listener: (settings: Settings) => void): void;
  /** Re-reads the stored settings (the database file was replaced, another node wrote them); listeners run when they changed. */
  reload(): Promise<void>;
}

const KEY = 'settings';
/** Deeper than any settings document; a hostile body must not recurse the merge into a stack overflow. */
const MAX_PATCH_DEPTH = 8;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function merge(base: unknown, patch: unknown, depth = 0): unknown {
  if (depth > MAX_PATCH_DEPTH) throw badRequest('Failed to update settings: the body is nested too deeply.');
  if (!isObject(base) || !isObject(patch)) return patch === undefined ? base : patch;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) if (k in base) out[k] = merge(base[k], v, depth + 1);
  return out;
}

/** Hearth's auth buckets always apply; a rule list that leaves one out gets it back at its default. */
function withBuiltInRules(rules: RateLimitSetting[]): RateLimitSetting[] {
  const present = new Set(rules.map((r) => r.label));
  return [...rules, ...builtInRateLimitRules().filter((r) => !present.has(r.label))];
}

const withBuiltIns = (settings: Settings): Settings => ({ ...settings, rateLimits: { ...settings.rateLimits, rules: withBuiltInRules(settings.rateLimits.rules) } });

/** Rules saved before `audience` existed, or sent without it, apply to everyone. */
function normaliseRules(rules: unknown): unknown {
  return Array.isArray(rules) ? rules.map((r) => (isObject(r) && r.audience === undefined ? { ...r, audience: '' } : r)) : rules;
}

const SECRETS: ReadonlyArray<readonly [section: 'smtp' | 's3' | 'backups', key: string]> = [['smtp', 'password'], ['s3', 'secret'], ['backups', 's3.secret']];

/** An empty or missing secret in a PATCH keeps the stored one. */
function keepSecrets(merged: Record<string, unknown>, current: Settings, patch: Record<string, unknown>): void {
  for (const [section, key] of SECRETS) {
    const path = [section, ...key.split('.')];
    const sent = path.reduce<unknown>((node, k) => (isObject(node) ? node[k] : undefined), patch);
    if (typeof sent === 'string' && sent !== '') continue;
    const stored = path.reduce<unknown>((node, k) => (isObject(node) ? node[k] : undefined), current);
    const parent = path.slice(0, -1).reduce<unknown>((node, k) => (isObject(node) ? node[k] : undefined), merged);
    if (isObject(parent)) parent[path.at(-1)!] = stored;
  }
}

function wire(settings: Settings): Record<string, unknown> {
  const { password: _p, ...smtp } = settings.smtp;
  const { secret: _s, ...s3 } = settings.s3;
  const { secret: _b, ...backupsS3 } = settings.backups.s3;
  return { ...settings, smtp, s3, backups: { ...settings.backups, s3: backupsS3 } };
}

/** Where the settings row lives: read at start (and on reload), written on each update. */
interface SettingsRow {
  read(): string | undefined | Promise<string | undefined>;
  write(value: string, updated: string): void | Promise<unknown>;
}

const SELECT_ROW = 'SELECT "value" FROM "_params" WHERE "key" = ?';
const UPSERT_ROW =
  'INSERT INTO "_params" ("key", "value", "updated") VALUES (?, ?, ?) ON CONFLICT("key") DO UPDATE SET "value" = excluded."value", "updated" = excluded."updated"';

/** The stored document over the defaults; a row that no longer validates falls back to the defaults. */
function parseStored(value: string | undefined, defaults: Settings): Settings {
  if (value === undefined) return structuredClone(defaults);
  const stored = JSON.parse(value) as Record<string, unknown>;
  if (isObject(stored.rateLimits)) stored.rateLimits.rules = normaliseRules(stored.rateLimits.rules);
  const parsed = SETTINGS_SCHEMA.safeParse(merge(structuredClone(defaults), stored));
  return parsed.success ? withBuiltIns(parsed.data) : structuredClone(defaults);
}

function storeOver(row: SettingsRow, defaults: Settings, initial: string | undefined): SettingsStore {
  const listeners: Array<(s: Settings) => void> = [];
  let current = parseStored(initial, defaults);
  return {
    get: () => current,
    toWire: () => wire(current),
    async update(patch) {
      if (!isObject(patch)) throw validationError('An error occurred while saving the new settings.', {});
      const merged = merge(current, patch) as Record<string, unknown>;
      keepSecrets(merged, current, patch);
      if (isObject(merged.rateLimits)) merged.rateLimits = { ...merged.rateLimits, rules: normaliseRules(merged.rateLimits.rules) };
      const parsed = SETTINGS_SCHEMA.safeParse(merged);
      if (!parsed.success) throw validationError('An error occurred while saving the new settings.', settingsErrors(parsed.error) as never);
      const next = withBuiltIns(parsed.data);
      // Kept only once stored: a failed write leaves this node's copy as the database has it.
      await row.write(JSON.stringify(next), formatDate(new Date()));
      current = next;
      for (const listener of listeners) listener(current);
      return current;
    },
    onChange(listener) {
      listeners.push(listener);
    },
    async reload() {
      const next = parseStored(await row.read(), defaults);
      // A node hears its own writes as notes too: re-applying the same settings would reset state kept per setting (rate-limit buckets).
      if (JSON.stringify(next) === JSON.stringify(current)) return;
      current = next;
      for (const listener of listeners) listener(current);
    },
  };
}

/**
 * Over SQLite's synchronous interface: loaded on return; reload and update finish in the call's own turn.
 * `outsideServer`: the writer is another process than the servers on the data file (the CLI); its
 * writes bump the schema version too, so each running server's per-request check re-reads its
 * schema and then these settings (assemble.ts), without a restart.
 */
export function createSettingsStore(db: SqlDb, defaults: Settings, options: { outsideServer?: boolean } = {}): SettingsStore {
  const row: SettingsRow = {
    read: () => db.get<{ value: string }>(SELECT_ROW, [KEY])?.value,
    write: (value, updated) =>
      db.transaction(() => {
        db.run(UPSERT_ROW, [KEY, value, updated]);
        if (options.outsideServer) bumpSchemaVersion(db);
      }),
  };
  return storeOver(row, defaults, row.read() as string | undefined);
}

/**
 * Over the engine (either; PostgreSQL's start uses it): read once here, then served from this
 * node's copy, so `get()` stays synchronous; writes go through the engine, and the other nodes
 * re-read on the settings note their peer link delivers (`reload()`).
 */
export async function openSettingsStore(q: SqlQueryable, defaults: Settings): Promise<SettingsStore> {
  const row: SettingsRow = {
    read: async () => (await q.get<{ value: string }>(SELECT_ROW, [KEY]))?.value,
    write: (value, updated) => q.run(UPSERT_ROW, [KEY, value, updated]),
  };
  return storeOver(row, defaults, await row.read());
}

/** Settings → the auth limiter's rule table (Hearth's built-in buckets, as configured). */
export function rateLimitRules(settings: Settings): Record<string, RateLimitRule> {
  const configured = settings.rateLimits.rules.filter((r) => r.label in DEFAULT_AUTH_RATE_LIMITS && r.audience === '');
  return { ...DEFAULT_AUTH_RATE_LIMITS, ...Object.fromEntries(configured.map((r) => [r.label, { limit: r.maxRequests, windowSeconds: r.duration }])) };
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
