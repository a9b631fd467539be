/**
 * The wire form of collections. `toWire` gives PocketBase 0.23's JSON (auth options flattened onto
 * the object, secrets omitted, `viewQuery` for views); `parseCollectionInput` reads a create/update
 * body in that shape, also accepting PB < 0.23 (`schema`, per-field `options`, `options.query`).
 */
import { z } from 'zod';
import { badRequest, fieldError, type FieldError } from '../shared/errors.ts';
import { setError, throwIfErrors, type ErrorTree } from './error-tree.ts';
import type { AuthOptions, Collection, CollectionType } from './model.ts';

/** Auth option keys that travel flattened on the collection object. */
export const AUTH_OPTION_KEYS = [
  'authRule',
  'manageRule',
  'authAlert',
  'oauth2',
  'passwordAuth',
  'mfa',
  'otp',
  'authToken',
  'passwordResetToken',
  'emailChangeToken',
  'verificationToken',
  'fileToken',
] as const;

/** Keys whose values are never sent to clients, wherever they appear in the options. */
const SECRET_KEYS = new Set(['tokenSecret', 'secret', 'clientSecret']);

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!SECRET_KEYS.has(k)) out[k] = redact(v);
  return out;
}

/** A field as PocketBase sends it: every option present (`help` too), keys in alphabetical order. */
function fieldToWire(field: Collection['fields'][number]): Record<string, unknown> {
  const withHelp: Record<string, unknown> = { help: '', ...structuredClone(field) };
  return Object.fromEntries(Object.keys(withHelp).sort().map((k) => [k, withHelp[k]]));
}

export function toWire(collection: Collection): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: collection.id,
    name: collection.name,
    type: collection.type,
    system: collection.system,
    fields: collection.fields.map(fieldToWire),
    indexes: [...collection.indexes],
    listRule: collection.listRule,
    viewRule: collection.viewRule,
    createRule: collection.createRule,
    updateRule: collection.updateRule,
    deleteRule: collection.deleteRule,
    created: collection.created,
    updated: collection.updated,
  };
  if (collection.type === 'view') out.viewQuery = collection.viewQuery ?? '';
  if (collection.type === 'auth' && collection.auth) {
    for (const [k, v] of Object.entries(collection.auth)) if (!SECRET_KEYS.has(k)) out[k] = redact(v);
  }
  return out;
}

/** A parsed create/update body: only the keys that were sent are present. */
export interface CollectionInput {
  id?: string;
  name?: string;
  type?: CollectionType;
  system?: boolean;
  fields?: Record<string, unknown>[];
  indexes?: string[];
  listRule?: string | null;
  viewRule?: string | null;
  createRule?: string | null;
  updateRule?: string | null;
  deleteRule?: string | null;
  viewQuery?: string;
  /** Auth options that were sent (flattened keys of the wire form). */
  auth: Partial<AuthOptions>;
}

/** A token lifetime beyond ten years is a typo, not a policy. */
const MAX_TOKEN_DURATION = 10 * 365 * 24 * 3600;
const rule = z.string().nullable().optional();
const options = z.record(z.string(), z.unknown()).optional();
const tokenConfig = z.object({ duration: z.number().int().min(1).max(MAX_TOKEN_DURATION).optional() }).optional();

const INPUT = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  type: z.enum(['base', 'auth', 'view']).optional(),
  system: z.boolean().optional(),
  fields: z.array(z.record(z.string(), z.unknown())).optional(),
  indexes: z.array(z.string()).optional(),
  listRule: rule,
  viewRule: rule,
  createRule: rule,
  updateRule: rule,
  deleteRule: rule,
  viewQuery: z.string().optional(),
  authRule: rule,
  manageRule: rule,
  passwordAuth: z.object({ enabled: z.boolean().optional(), identityFields: z.array(z.string()).optional() }).optional(),
  authToken: tokenConfig,
  passwordResetToken: tokenConfig,
  emailChangeToken: tokenConfig,
  verificationToken: tokenConfig,
  fileToken: tokenConfig,
  authAlert: options,
  oauth2: options,
  mfa: options,
  otp: options,
});

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Flattens PocketBase < 0.23 shapes into the current one; null lists count as not sent / empty. */
function upgradeLegacy(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body };
  if (out.fields === undefined && Array.isArray(out.schema)) out.fields = out.schema;
  if (out.fields === null) delete out.fields;
  if (out.indexes === null) out.indexes = [];
  if (Array.isArray(out.fields)) {
    out.fields = out.fields.map((f) => (isObject(f) && isObject(f.options) ? { ...f, ...f.options, options: undefined } : f));
  }
  if (isObject(out.options)) {
    if (out.viewQuery === undefined && typeof out.options.query === 'string') out.viewQuery = out.options.query;
    if (out.manageRule === undefined && out.options.manageRule !== undefined) out.manageRule = out.options.manageRule;
  }
  delete out.schema;
  delete out.options;
  return out;
}

function issueError(code: string, input: unknown, message: string): FieldError {
  if (input === undefined) return fieldError('validation_required', 'Missing required value.');
  if (code === 'invalid_value') return fieldError('validation_in_invalid', 'Must be a valid value.');
  return fieldError('validation_invalid_value', `Invalid value: ${message.replace(/^Invalid input: /, '')}.`);
}

/** Parses a body (throws a 400 with PocketBase's nested `data` on shape errors). */
export function parseCollectionInput(input: unknown, failMessage: string): CollectionInput {
  if (!isObject(input)) badShape(failMessage);
  const parsed = INPUT.safeParse(upgradeLegacy(input));
  if (!parsed.success) {
    const tree: ErrorTree = {};
    for (const issue of parsed.error.issues) {
      const value = issue.path.reduce<unknown>((v, k) => (isObject(v) || Array.isArray(v) ? (v as never)[k as never] : undefined), input);
      setError(tree, issue.path.map(String), issueError(issue.code, value, issue.message));
    }
    throwIfErrors(tree, failMessage);
  }
  const data = parsed.data!;
  const auth: Record<string, unknown> = {};
  for (const key of AUTH_OPTION_KEYS) if (data[key] !== undefined) auth[key] = data[key];
  const out: CollectionInput = { auth: auth as Partial<AuthOptions> };
  for (const key of ['id', 'name', 'type', 'system', 'fields', 'indexes', 'viewQuery'] as const) {
    if (data[key] !== undefined) (out as unknown as Record<string, unknown>)[key] = data[key];
  }
  for (const key of ['listRule', 'viewRule', 'createRule', 'updateRule', 'deleteRule'] as const) {
    if (data[key] !== undefined) out[key] = data[key];
  }
  return out;
}

function badShape(failMessage: string): never {
  throw badRequest(failMessage, { body: fieldError('validation_invalid_value', 'The body must be a JSON object.') });
}
