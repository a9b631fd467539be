/**
 * Programmatic superuser management, used by `hearth superuser upsert|delete`. Works on the data
 * dir directly, also while a server runs on it: WAL + busy_timeout serialise the writes, and the
 * running server notices a rotated tokenKey on the very next request (see sessions.ts).
 */
import { quoteIdent, runStepsOn, steps, transactionOn, type Dialect, type SqlDb, type SqlEngine, type Steps, type StepsTarget } from '../db/index.ts';
import type { Collection } from '../collections/model.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import { AppError, badRequest, fieldError, validationError, type FieldError } from '../shared/errors.ts';
import { formatDate } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, SCRYPT_DEFAULTS, type ScryptParams } from './password.ts';
import { MAX_IDENTITY_LENGTH, SUPERUSERS_COLLECTION } from './auth-records.ts';
import { newTokenKey } from './tokens.ts';

export interface SuperuserOptions {
  /** Tests pass cheap parameters. */
  passwordParams?: ScryptParams;
  clock?: () => number;
}

/** Pragmatic shape check (local@domain.tld); deliverability is not our business here. */
const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

function validate(email: string, password: unknown): void {
  const errors: Record<string, FieldError> = {};
  if (email.length > MAX_IDENTITY_LENGTH || !EMAIL_PATTERN.test(email)) {
    errors.email = fieldError('validation_is_email', 'Must be a valid email address.');
  }
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
    errors.password = fieldError('validation_min_text_constraint', `Must be at least ${MIN_PASSWORD_LENGTH} character(s).`);
  } else if (password.length > MAX_PASSWORD_LENGTH) {
    errors.password = fieldError('validation_max_text_constraint', `Must be less than ${MAX_PASSWORD_LENGTH} character(s).`);
  }
  if (Object.keys(errors).length > 0) throw validationError('An error occurred while validating the submitted data.', errors);
}

function superusersCollection(registry: CollectionRegistry): Collection {
  const collection = registry.find(SUPERUSERS_COLLECTION);
  if (!collection || collection.type !== 'auth') {
    throw new AppError('internal', `The ${SUPERUSERS_COLLECTION} collection is missing: the data dir is not initialised.`);
  }
  return collection;
}

/** SQLite's synchronous interface (the CLI on a data dir) or the engine of either kind (a server). */
export type SuperuserTarget = StepsTarget;

function* findIdByEmail(dialect: Dialect, table: string, email: string): Steps<string | undefined> {
  const row = yield* steps.get<{ id: string }>(`SELECT "id" FROM ${table} WHERE ${dialect.equalsNoCase('"email"', '?')} LIMIT 1`, [email]);
  return row?.id;
}

/**
 * Creates the superuser, or sets a new password on the existing one (matched case-insensitively).
 * An update rotates tokenKey and deletes the sessions, so every old token dies.
 */
export async function upsertSuperuser(
  target: SuperuserTarget,
  registry: CollectionRegistry,
  email: string,
  password: string,
  options: SuperuserOptions = {},
): Promise<{ id: string; created: boolean }> {
  const trimmed = typeof email === 'string' ? email.trim() : '';
  validate(trimmed, password);
  const collection = superusersCollection(registry);
  const table = quoteIdent(collection.name);
  const hash = await hashPassword(password, options.passwordParams ?? SCRYPT_DEFAULTS);
  const stamp = formatDate(new Date((options.clock ?? Date.now)()));
  return transactionOn(target, function* (dialect) {
    const existing = yield* findIdByEmail(dialect, table, trimmed);
    if (existing) {
      yield* steps.run(`UPDATE ${table} SET "password" = ?, "tokenKey" = ?, "updated" = ? WHERE "id" = ?`, [hash, newTokenKey(), stamp, existing]);
      yield* steps.run('DELETE FROM "_sessions" WHERE "collectionId" = ? AND "recordId" = ?', [collection.id, existing]);
      return { id: existing, created: false };
    }
    const id = newId();
    yield* steps.run(
      `INSERT INTO ${table} ("id", "email", "emailVisibility", "verified", "password", "tokenKey", "created", "updated")
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [id, trimmed, false, true, hash, newTokenKey(), stamp, stamp],
    );
    return { id, created: true };
  });
}

/**
 * Deletes the superuser with this email and its sessions. Returns false if there was none.
 * Refuses to delete the last one (as PocketBase does), so the instance stays administrable.
 * Synchronous on SQLite's `SqlDb`; a promise on the engine.
 */
export function deleteSuperuser(target: SqlDb, registry: CollectionRegistry, email: string): boolean;
export function deleteSuperuser(target: SqlEngine, registry: CollectionRegistry, email: string): Promise<boolean>;
export function deleteSuperuser(target: SuperuserTarget, registry: CollectionRegistry, email: string): boolean | Promise<boolean> {
  const collection = superusersCollection(registry);
  const table = quoteIdent(collection.name);
  return transactionOn(target, function* (dialect) {
    const id = yield* findIdByEmail(dialect, table, String(email).trim());
    if (!id) return false;
    if ((yield* superuserCount()) <= 1) throw badRequest("You can't delete the only existing superuser.");
    yield* steps.run(`DELETE FROM ${table} WHERE "id" = ?`, [id]);
    yield* steps.run('DELETE FROM "_sessions" WHERE "collectionId" = ? AND "recordId" = ?', [collection.id, id]);
    return true;
  });
}

function* superuserCount(): Steps<number> {
  return Number((yield* steps.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${quoteIdent(SUPERUSERS_COLLECTION)}`))?.n ?? 0);
}

/** How many superusers exist (the first-run installer asks): a number on `SqlDb`, a promise on the engine. */
export function countSuperusers(target: SqlDb): number;
export function countSuperusers(target: SqlEngine): Promise<number>;
export function countSuperusers(target: SuperuserTarget): number | Promise<number>;
export function countSuperusers(target: SuperuserTarget): number | Promise<number> {
  return runStepsOn(target, superuserCount);
}
