/**
 * The fields every collection must carry (id, created, updated; auth: password, tokenKey, email,
 * emailVisibility, verified), their enforced properties, stable field ids, and auth defaults.
 */
import { crc32 } from 'node:zlib';
import { newId } from '../shared/ids.ts';
import type { AuthOptions, Collection, CollectionType, Field, FieldType } from './model.ts';
import { fieldTypeOf } from './fields/index.ts';

/** Default auth token lifetime: 7 days (SPEC §7). */
export const DEFAULT_AUTH_TOKEN_DURATION = 604800;
/** Length of a collection's token signing secret; 50 random chars ≈ 258 bits. */
const TOKEN_SECRET_LENGTH = 50;
const SECRET_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** PocketBase's field id scheme: type + crc32(name), so the same field gets the same id everywhere. */
export const stableFieldId = (type: string, name: string): string => `${type}${crc32(name)}`;

/** A complete field definition: common flags, the type's option defaults, then `props`. */
export function makeField(type: FieldType, name: string, props: Partial<Field> = {}): Field {
  return {
    id: stableFieldId(type, name),
    name,
    type,
    system: false,
    hidden: false,
    presentable: false,
    required: false,
    ...fieldTypeOf({ type }).defaults(),
    ...props,
  } as Field;
}

interface SystemFieldSpec {
  name: string;
  type: FieldType;
  /** Defaults for a freshly added field. */
  initial: Partial<Field>;
  /** Properties re-applied on every save (users cannot change them). */
  enforced: Partial<Field>;
  /** Properties filled in when a sent definition leaves them empty. */
  whenEmpty?: Partial<Field>;
}

const ID_FIELD: SystemFieldSpec = {
  name: 'id',
  type: 'text',
  initial: { min: 15, max: 15, pattern: '^[a-z0-9]+$', autogeneratePattern: '[a-z0-9]{15}' },
  enforced: { system: true, required: true, primaryKey: true, hidden: false },
  whenEmpty: { pattern: '^[a-z0-9]+$' },
};

const AUTH_FIELDS: SystemFieldSpec[] = [
  { name: 'password', type: 'password', initial: { min: 8 }, enforced: { system: true, hidden: true, required: true } },
  {
    name: 'tokenKey',
    type: 'text',
    initial: { min: 30, max: 60, autogeneratePattern: '[a-zA-Z0-9]{50}' },
    enforced: { system: true, hidden: true, required: true },
  },
  { name: 'email', type: 'email', initial: { required: true }, enforced: { system: true, hidden: false } },
  { name: 'emailVisibility', type: 'bool', initial: {}, enforced: { system: true } },
  { name: 'verified', type: 'bool', initial: {}, enforced: { system: true } },
];

const DATE_FIELDS: SystemFieldSpec[] = [
  { name: 'created', type: 'autodate', initial: {}, enforced: { system: true, onCreate: true, onUpdate: false } },
  { name: 'updated', type: 'autodate', initial: {}, enforced: { system: true, onCreate: true, onUpdate: true } },
];

export function systemFieldSpecs(type: CollectionType): SystemFieldSpec[] {
  if (type === 'view') return [];
  return type === 'auth' ? [ID_FIELD, ...AUTH_FIELDS, ...DATE_FIELDS] : [ID_FIELD, ...DATE_FIELDS];
}

/**
 * Adds missing system fields (as PocketBase: id first, auth fields after the sent ones, then the
 * dates), carrying over an existing
 * definition from `previous` so a field left out of an update is kept, not dropped and re-added.
 * Enforced properties win over whatever was sent. Fields of the wrong type are left for validation.
 */
export function withSystemFields(type: CollectionType, fields: Field[], previous: Field[] = []): Field[] {
  const byName = (list: Field[], name: string) => list.find((f) => f.name.toLowerCase() === name.toLowerCase());
  const head: Field[] = [];
  const middle: Field[] = [];
  const tail: Field[] = [];
  const enforced = new Map<Field, Partial<Field>>();
  for (const spec of systemFieldSpecs(type)) {
    const existing = byName(fields, spec.name);
    if (existing) {
      if (existing.type !== spec.type) continue;
      const filled = Object.entries(spec.whenEmpty ?? {}).filter(([k]) => existing[k] === '' || existing[k] === undefined);
      enforced.set(existing, { ...Object.fromEntries(filled), ...spec.enforced });
      continue;
    }
    const kept = byName(previous, spec.name);
    const field = kept ? { ...kept } : makeField(spec.type, spec.name, { ...spec.initial, ...spec.enforced });
    (spec.name === 'id' ? head : spec.type === 'autodate' ? tail : middle).push(field);
  }
  const all = [...head, ...fields, ...middle, ...tail];
  return all.map((f) => (enforced.has(f) ? { ...f, ...enforced.get(f) } : f));
}

export const newTokenSecret = (): string => newId(TOKEN_SECRET_LENGTH, SECRET_ALPHABET);

/** PocketBase's auth option set with Hearth's defaults; tokenSecret is generated per collection. */
export function defaultAuthOptions(): AuthOptions {
  return {
    authRule: '',
    manageRule: null,
    authAlert: { enabled: true },
    oauth2: { enabled: false, providers: [], mappedFields: { id: '', name: '', username: '', avatarURL: '' } },
    passwordAuth: { enabled: true, identityFields: ['email'] },
    mfa: { enabled: false, duration: 1800, rule: '' },
    otp: { enabled: false, duration: 180, length: 8 },
    authToken: { duration: DEFAULT_AUTH_TOKEN_DURATION },
    passwordResetToken: { duration: 1800 },
    emailChangeToken: { duration: 1800 },
    verificationToken: { duration: 259200 },
    fileToken: { duration: 180 },
    tokenSecret: newTokenSecret(),
  };
}

/** PocketBase's unique index names for auth fields (`idx_email_<collectionId>`), at most 64 chars. */
export const authIndexName = (field: string, collection: Pick<Collection, 'id'>): string =>
  `idx_${field}_${collection.id}`.slice(0, 64);
