/** Shared state of one write request (or one batch): deps, caller, and the pending change events. */
import { type Collection } from '../collections/model.ts';
import { quoteIdent } from '../db/sql.ts';
import { get, runSteps, type Steps } from '../db/steps.ts';
import { badRequest, fieldError, validationError } from '../shared/errors.ts';
import { authorize, type RequestInfo } from '../rules/index.ts';
import type { RecordsDeps } from './deps.ts';
import { authFormErrors } from './auth-form.ts';
import { ChangeSink } from './change-log.ts';
import { MAX_PASSWORD_LENGTH, minPasswordLength } from './prepare-values.ts';
import { loadRowUnderRule } from './view-record.ts';

export interface WriteContext {
  deps: RecordsDeps;
  info: RequestInfo;
  sink: ChangeSink;
}

/** `deps.q` is the write's transaction. */
export const newWriteContext = (deps: RecordsDeps, info: RequestInfo, sink = new ChangeSink()): WriteContext => ({ deps, info, sink });

export function assertWritable(collection: Collection): void {
  if (collection.type === 'view') throw badRequest('View collections are read-only.');
}


/** Hashes `body.password` ahead of the (synchronous) transaction; undefined if absent or out of bounds (validation reports it). */
export async function hashPasswordIfSent(
  deps: RecordsDeps,
  collection: Collection,
  body: Record<string, unknown>,
): Promise<string | undefined> {
  if (typeof body.password !== 'string') return undefined;
  if (collection.type !== 'auth') {
    // A system collection's password field (`_otps`): hashed like an auth password, its own bounds.
    const field = collection.fields.find((f) => f.name === 'password' && f.type === 'password');
    if (!field || body.password === '' || body.password.length > MAX_PASSWORD_LENGTH) return undefined;
    return deps.hashPassword(body.password);
  }
  if (body.password.length < minPasswordLength(collection) || body.password.length > MAX_PASSWORD_LENGTH) return undefined;
  return deps.hashPassword(body.password);
}

/**
 * Whether the caller may manage auth fields (email, verified, password without oldPassword) of
 * record `id`: superusers, and callers the collection's manageRule admits for that record. An
 * empty manageRule grants nobody (like PocketBase: "" would mean everyone, never intended).
 */
export function* manageAccess(deps: RecordsDeps, collection: Collection, id: string, info: RequestInfo): Steps<boolean> {
  if (info.auth?.isSuperuser) return true;
  if (collection.type !== 'auth' || !info.auth) return false;
  const rule = collection.auth?.manageRule;
  if (typeof rule !== 'string' || rule.trim() === '') return false;
  const access = authorize({ registry: deps.registry, collection, rule: 'manageRule', info });
  if (access.kind !== 'where') return access.kind === 'all';
  const sql = `SELECT 1 AS ok FROM ${quoteIdent(collection.name)} t WHERE t."id" = ? AND (${access.where.sql})`;
  return (yield* get(sql, [id, ...access.where.params])) !== undefined;
}

/** `manageAccess` on `deps.q`. */
export const hasManageAccess = (deps: RecordsDeps, collection: Collection, id: string, info: RequestInfo): Promise<boolean> =>
  runSteps(manageAccess(deps, collection, id, info), deps.q);

/**
 * Before an update's transaction (the hash check is async): a caller without manage access who
 * sends a new password must also send the current one as `oldPassword`. A wrong or missing one is
 * reported with the write's other account-field errors (auth-form.ts), as PocketBase does. Runs
 * only for an existing record the caller may update (otherwise the update answers 404/403).
 */
export async function checkOldPassword(
  deps: RecordsDeps,
  collection: Collection,
  id: string,
  body: Record<string, unknown>,
  info: RequestInfo,
): Promise<void> {
  if (collection.type !== 'auth' || body.password === undefined) return;
  if (!(await deps.q.get(`SELECT 1 AS ok FROM ${quoteIdent(collection.name)} WHERE "id" = ?`, [id]))) return;
  if (await hasManageAccess(deps, collection, id, info)) return;
  const row = await loadRowUnderRule(deps, collection, id, 'updateRule', info);
  const old = body.oldPassword;
  const ok = typeof old === 'string' && old !== '' && old.length <= MAX_PASSWORD_LENGTH && deps.verifyPassword !== undefined
    && (await deps.verifyPassword(old, row.password));
  if (ok) return;
  const errors = authFormErrors({ collection, body, current: row, privileged: false, oldPasswordValid: false });
  errors.oldPassword ??= fieldError('validation_invalid_old_password', 'Missing or invalid old password.');
  throw validationError('Failed to update record.', errors);
}
