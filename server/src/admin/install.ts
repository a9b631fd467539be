/**
 * First run: while no superuser exists, the first one may be created over HTTP — only from a
 * loopback address, or by anyone holding the one-time install token that `hearth serve` prints.
 * The token is random per server start, compared in constant time, and dies once a superuser
 * exists (however it was created). Never open to the world.
 */
import { timingSafeEqual } from 'node:crypto';
import { newInstallToken } from './install-token.ts';
import type { SqlDb } from '../db/index.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import { SUPERUSERS_COLLECTION, upsertSuperuser } from '../auth/index.ts';
import { badRequest, fieldError, forbidden, validationError } from '../shared/errors.ts';

export interface InstallRequest {
  email: unknown;
  password: unknown;
  passwordConfirm: unknown;
  token: unknown;
}

export interface Installer {
  /** True while the instance has no superuser. */
  needed(): boolean;
  /** The one-time token (null once a superuser exists). */
  token(): string | null;
  /** Creates the first superuser; `loopback` says the request came from this machine. */
  createFirstSuperuser(input: InstallRequest, loopback: boolean): Promise<{ id: string }>;
}

export { newInstallToken } from './install-token.ts';

export function createInstaller(db: SqlDb, registry: CollectionRegistry, given?: string): Installer {
  let token: string | null = given || newInstallToken();
  const needed = (): boolean => {
    const none = (db.pluck<number>(`SELECT COUNT(*) FROM "${SUPERUSERS_COLLECTION}"`)[0] ?? 0) === 0;
    if (!none) token = null;
    return none;
  };
  const tokenMatches = (given: unknown): boolean => {
    if (token === null || typeof given !== 'string' || given === '') return false;
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };
  return {
    needed,
    token: () => (needed() ? token : null),
    async createFirstSuperuser(input, loopback) {
      if (!needed()) throw badRequest('A superuser already exists: sign in instead.');
      if (!loopback && !tokenMatches(input.token)) {
        throw forbidden('The first superuser can be created only from this machine or with the install link that `hearth serve` printed.');
      }
      if (typeof input.password !== 'string' || input.password !== input.passwordConfirm) {
        throw validationError('An error occurred while validating the submitted data.', {
          passwordConfirm: fieldError('validation_values_mismatch', "Values don't match."),
        });
      }
      const email = typeof input.email === 'string' ? input.email : '';
      const { id } = await upsertSuperuser(db, registry, email, input.password);
      token = null;
      return { id };
    },
  };
}
