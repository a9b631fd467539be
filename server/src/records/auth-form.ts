/**
 * The account fields of an auth record write — `email`, `verified`, `password`, `passwordConfirm`,
 * `oldPassword` — checked before, and instead of, the record's own fields (PocketBase's order):
 * a request that gets these wrong hears only about these. Without manage access `verified` and,
 * on update, `email` must stay as they are; a password needs its confirmation (and, from a
 * non-manager on update, the current password).
 */
import { fieldTypeOf, type StoredValue } from '../collections/index.ts';
import type { Collection } from '../collections/model.ts';
import { fieldError, type FieldError } from '../shared/errors.ts';

export interface AuthFormInput {
  collection: Collection;
  body: Record<string, unknown>;
  /** The stored row on update, null on create. */
  current: Record<string, unknown> | null;
  /** Superusers and managers (manageRule). */
  privileged: boolean;
  /** The result of checking `oldPassword` against the stored hash, when it was checked. */
  oldPasswordValid?: boolean;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const mismatch = (): FieldError => fieldError('validation_values_mismatch', "Values don't match.");
const required = (): FieldError => fieldError('validation_required', 'Cannot be blank.');

/** The account-field errors of a write (empty when there are none). Only for auth collections. */
export function authFormErrors(input: AuthFormInput): Record<string, FieldError> {
  const { collection, body, current, privileged } = input;
  const errors: Record<string, FieldError> = {};
  if (collection.type !== 'auth') return errors;
  const isNew = current === null;

  if (!isNew && !privileged && typeof body.email === 'string' && body.email !== text(current.email)) {
    errors.email = fieldError('validation_values_mismatch', 'The email can only be changed through request-email-change.');
  }
  if (!privileged && body.verified !== undefined && !(isNew && collection.name === '_superusers')) {
    const field = collection.fields.find((f) => f.name === 'verified');
    const was = isNew ? 0 : Number(current.verified ?? 0);
    const res = field ? fieldTypeOf(field).normalize(body.verified, field, { collection, isNew, current: current?.verified as StoredValue }) : null;
    if (res && 'error' in res) errors.verified = res.error;
    else if (res && Number(res.value) !== was) errors.verified = mismatch();
  }

  const password = text(body.password);
  const confirm = text(body.passwordConfirm);
  const old = text(body.oldPassword);
  if (password === '' && (isNew || confirm !== '' || old !== '')) {
    errors.password = fieldError('validation_required', 'Missing required value.');
  }
  if (confirm === '' && (isNew || password !== '' || old !== '')) errors.passwordConfirm = required();
  else if (confirm !== password) errors.passwordConfirm = mismatch();
  if (!isNew && !privileged && (password !== '' || confirm !== '')) {
    if (old === '') errors.oldPassword = fieldError('validation_required', 'Missing required value.');
    else if (input.oldPasswordValid === false) errors.oldPassword = fieldError('validation_invalid_old_password', 'Missing or invalid old password.');
  }
  return errors;
}
