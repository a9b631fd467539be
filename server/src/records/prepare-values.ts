/**
 * Turns a request body into the column values of a create or update: modifiers folded, each
 * field normalised and validated by its field type, system fields filled (id, autodate,
 * tokenKey), relation targets checked to exist. Collects every field error, then throws once.
 */
import { fieldTypeOf, type StoredValue } from '../collections/index.ts';
import { isMultiValued, type Collection, type Field } from '../collections/model.ts';
import { quoteIdent } from '../db/sql.ts';
import { get, type Steps } from '../db/steps.ts';
import type { Dialect } from '../shared/dialect/index.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import type { SqlFragment } from '../query/resolver.ts';
import { now } from '../shared/clock.ts';
import { fieldError, validationError, type FieldError } from '../shared/errors.ts';
import { newId, newTokenKey } from '../shared/ids.ts';
import { authFormErrors } from './auth-form.ts';
import { applyModifiers } from './modifiers.ts';
import { keepKnownFiles, unknownFiles } from './record-files.ts';

const SUPERUSERS = '_superusers';

/** Keys handled by the auth layer, never stored as given. */
const AUTH_MANAGED = new Set(['password', 'passwordConfirm', 'oldPassword', 'tokenKey']);
/** Longer than any SQLite identifier a client should need; bounds per-request work. */
export const MAX_BODY_FIELDS = 1000;
/** OWASP's floor for passwords of accounts without MFA. */
export const MIN_PASSWORD_LENGTH = 8;
/** Bounds the key derivation's input; PocketBase's limit too. */
export const MAX_PASSWORD_LENGTH = 255;

export interface PrepareInput {
  /** The SQL dialect of the write's engine (the statements are yielded as steps). */
  dialect: Dialect;
  registry: CollectionRegistry;
  collection: Collection;
  body: Record<string, unknown>;
  /** The stored row being updated, or null on create. */
  current: Record<string, unknown> | null;
  /** Superusers and managers (manageRule) may set `verified`, `email` and a password without oldPassword. */
  privileged: boolean;
  /** A password hash prepared by the auth layer when the body carried `password`. */
  passwordHash?: string;
  /** The error message; by default derived from create/update. */
  failMessage?: string;
  /** On create: the id chosen before the transaction (stored files are keyed by it). */
  presetId?: string;
  /** Stored names of this request's uploads; a file field keeps only these and its current names. */
  newFiles?: ReadonlySet<string>;
  /**
   * A condition that reads only other tables (a createRule that names nothing of the new row),
   * evaluated in the relation check's statement; `holds` is set to its verdict.
   */
  condition?: { where: SqlFragment; holds?: boolean };
}

/** The collection's password minimum (its `password` field's `min`, else the OWASP floor). */
export function minPasswordLength(collection: Collection): number {
  return Number(collection.fields.find((f) => f.name === 'password')?.min ?? MIN_PASSWORD_LENGTH) || MIN_PASSWORD_LENGTH;
}

export function* prepareValues(input: PrepareInput): Steps<Record<string, StoredValue>> {
  const { collection, current, privileged } = input;
  const isNew = current === null;
  const failMessage = input.failMessage ?? (isNew ? 'Failed to create record.' : 'Failed to update record.');
  const formErrors = authFormErrors({ collection, body: input.body, current, privileged });
  if (Object.keys(formErrors).length > 0) throw validationError(failMessage, formErrors);
  const body = applyModifiers(collection, input.body, current);
  const values: Record<string, StoredValue> = {};
  const errors: Record<string, FieldError> = {};
  const ts = now();

  for (const field of collection.fields) {
    const name = field.name;
    if (field.type === 'autodate') {
      if ((isNew && field.onCreate) || (!isNew && field.onUpdate)) values[name] = ts;
      continue;
    }
    if (name === 'id') {
      if (!isNew) {
        if (body.id !== undefined && body.id !== current.id) errors.id = fieldError('validation_pk_change', 'The record primary key cannot be changed.');
        continue;
      }
      if (body.id === undefined || body.id === '') {
        values.id = input.presetId ?? newId();
        continue;
      }
    }
    if (collection.type === 'auth' && AUTH_MANAGED.has(name)) continue;
    if (field.type === 'password') {
      preparePasswordField(input, field, values, errors, isNew);
      continue;
    }
    if (collection.type === 'auth' && name === 'verified' && !privileged) {
      // Only managers change `verified`; anyone else may send it unchanged (PocketBase's rule).
      if (isNew) values.verified = collection.name === SUPERUSERS ? 1 : 0;
      if (body.verified !== undefined) {
        const res = fieldTypeOf(field).normalize(body.verified, field, { collection, isNew, current: current?.verified as StoredValue });
        const was = isNew ? 0 : Number(current.verified ?? 0);
        if ('error' in res) errors.verified = res.error;
        else if (Number(res.value) !== was) errors.verified = fieldError('validation_values_mismatch', "Values don't match.");
      }
      continue;
    }
    if (collection.type === 'auth' && name === 'verified' && isNew && collection.name === SUPERUSERS) {
      values.verified = 1; // a superuser's address is trusted by whoever created it
      continue;
    }
    const sent = Object.prototype.hasOwnProperty.call(body, name);
    if (!sent && !isNew) continue;
    const unknown = sent && field.type === 'file' ? unknownFiles(body[name], current?.[name], input.newFiles ?? new Set()) : [];
    if (unknown.length > 0) {
      errors[name] = fieldError('validation_invalid_file', `Invalid new files: ${unknown.map((n) => n.slice(0, 250)).join(', ')}.`);
      continue;
    }
    const given = sent && field.type === 'file' ? keepKnownFiles(body[name], current?.[name], input.newFiles ?? new Set()) : body[name];
    const res = fieldTypeOf(field).normalize(sent ? given : undefined, field, {
      collection,
      isNew,
      current: current ? (current[name] as StoredValue) : undefined,
    });
    if ('error' in res) errors[name] = res.error;
    else values[name] = res.value;
  }

  if (collection.type === 'auth') prepareAuthValues(input, values, errors, isNew);
  if (collection.type === 'auth' && isNew && typeof values.id === 'string' && body.id !== undefined && !errors.id) {
    yield* checkAuthIdUnique(input, String(values.id), errors);
  }
  yield* checkRelations(input, values, errors);
  if (Object.keys(errors).length > 0) throw validationError(failMessage, errors);
  return values;
}

/** A password field outside auth collections (system `_otps`): validated as sent, stored as the prepared hash. */
function preparePasswordField(
  input: PrepareInput,
  field: Field,
  values: Record<string, StoredValue>,
  errors: Record<string, FieldError>,
  isNew: boolean,
): void {
  const sent = input.body[field.name];
  if (sent === undefined && !isNew) return;
  const res = fieldTypeOf(field).normalize(sent, field, { collection: input.collection, isNew, current: undefined });
  if ('error' in res) errors[field.name] = res.error;
  else if (sent === undefined || sent === '') {
    if (field.required) errors[field.name] = fieldError('validation_required', 'Missing required value.');
    else if (isNew) values[field.name] = '';
  } else if (input.passwordHash) values[field.name] = input.passwordHash;
  else errors[field.name] = fieldError('validation_max_text_constraint', `Must be less than ${MAX_PASSWORD_LENGTH} character(s).`);
}

function prepareAuthValues(
  input: PrepareInput,
  values: Record<string, StoredValue>,
  errors: Record<string, FieldError>,
  isNew: boolean,
): void {
  const body = input.body;
  if (isNew) values.tokenKey = newTokenKey();
  if (input.passwordHash) {
    values.password = input.passwordHash;
    if (!isNew) values.tokenKey = newTokenKey(); // a new password signs out every session
  } else if (isNew) {
    errors.password = fieldError('validation_required', 'Missing required value.');
  }
  const min = minPasswordLength(input.collection);
  if (body.password !== undefined && (typeof body.password !== 'string' || body.password.length < min)) {
    errors.password = fieldError('validation_min_text_constraint', `Must be at least ${min} character(s).`);
  } else if (typeof body.password === 'string' && body.password.length > MAX_PASSWORD_LENGTH) {
    errors.password = fieldError('validation_max_text_constraint', `Must be less than ${MAX_PASSWORD_LENGTH} character(s).`);
  } else if (typeof body.password === 'string' && body.passwordConfirm !== body.password) {
    errors.passwordConfirm = fieldError('validation_values_mismatch', "Values don't match.");
  }
  if (isNew || !input.current) return;
  // Without manage access: the current password must accompany a new one (checked against the
  // hash before the transaction, see write-context), and the email changes only through
  // request-email-change, which proves the new mailbox.
  if (!input.privileged && body.password !== undefined && (typeof body.oldPassword !== 'string' || body.oldPassword === '')) {
    errors.oldPassword = fieldError('validation_required', 'Missing required value.');
  }
  if ('email' in values && String(values.email) !== String(input.current.email ?? '')) {
    if (!input.privileged) errors.email = fieldError('validation_values_mismatch', 'The email can only be changed through request-email-change.');
    else values.tokenKey = newTokenKey(); // like a new password, a new email signs out every session
  }
}

/**
 * An auth record id is unique across every auth collection, so a rule written for one
 * (`@request.auth.id = owner`) cannot be satisfied by a record of another (PocketBase's check).
 */
function* checkAuthIdUnique(input: PrepareInput, id: string, errors: Record<string, FieldError>): Steps<void> {
  for (const other of input.registry.all()) {
    if (other.type !== 'auth' || other.id === input.collection.id) continue;
    if (yield* get(`SELECT 1 AS ok FROM ${quoteIdent(other.name)} WHERE "id" = ?`, [id])) {
      errors.id = fieldError('validation_invalid_auth_id', 'Invalid or duplicated auth record id.');
      return;
    }
  }
}

/**
 * Every relation field's targets checked in one statement (a column per field: 1 when some id is
 * missing): a single id is a primary-key probe, a list goes through `json_each`. The input's
 * `condition`, if any, is one more column of the same statement.
 */
function* checkRelations(input: PrepareInput, values: Record<string, StoredValue>, errors: Record<string, FieldError>): Steps<void> {
  const { dialect, registry, collection, condition } = input;
  const checked: string[] = [];
  const columns: string[] = [];
  const params: unknown[] = [];
  for (const field of collection.fields) {
    if (field.type !== 'relation' || errors[field.name] || !(field.name in values)) continue;
    const ids = relationIds(field, values[field.name]);
    if (ids.length === 0) continue;
    const targetName = field.collectionId ? registry.find(field.collectionId)?.name : undefined;
    if (!targetName) {
      errors[field.name] = missingRelations();
      continue;
    }
    const target = quoteIdent(targetName);
    if (isMultiValued(field)) {
      columns.push(
        dialect.name === 'sqlite'
          ? `EXISTS (SELECT 1 FROM json_each(?) WHERE value NOT IN (SELECT "id" FROM ${target}))`
          : `EXISTS (SELECT 1 FROM (${dialect.jsonParamItems}) ids WHERE ids.value NOT IN (SELECT "id" FROM ${target}))`,
      );
      params.push(JSON.stringify(ids));
    } else {
      columns.push(`NOT EXISTS (SELECT 1 FROM ${target} WHERE "id" = ?)`);
      params.push(ids[0]);
    }
    checked.push(field.name);
  }
  if (condition) {
    columns.push(`(${condition.where.sql})`);
    params.push(...condition.where.params);
  }
  if (columns.length === 0) return;
  const row = yield* get<Record<string, unknown>>(`SELECT ${columns.map((c, i) => `${c} AS "m${i}"`).join(', ')}`, params);
  checked.forEach((name, i) => {
    if (Number(row?.[`m${i}`]) !== 0) errors[name] = missingRelations();
  });
  if (condition) condition.holds = Boolean(row?.[`m${checked.length}`]);
}

const missingRelations = () => fieldError('validation_missing_rel_records', 'Failed to find all relation records with the provided ids.');

function relationIds(field: Field, stored: StoredValue | undefined): string[] {
  if (stored === undefined || stored === null || stored === '') return [];
  if (!isMultiValued(field)) return [String(stored)];
  try {
    const parsed: unknown = JSON.parse(String(stored));
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}
