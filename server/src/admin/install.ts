/**
 * First run: while no superuser exists, the first one may be created over HTTP — only from a
 * loopback address, or by anyone holding the one-time install token that `hearth serve` prints.
 * The token is random per server start, compared in constant time, and dies once a superuser
 * exists (however it was created). Never open to the world.
 */
import { timingSafeEqual } from 'node:crypto';
import { newInstallToken } from './install-token.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import { countSuperusers, upsertSuperuser, type SuperuserTarget } from '../auth/index.ts';
import { isEngine } from '../db/index.ts';
import { badRequest, fieldError, forbidden, validationError } from '../shared/errors.ts';

export interface InstallRequest {
  email: unknown;
  password: unknown;
  passwordConfirm: unknown;
  token: unknown;
}

export interface Installer {
  /** True while the instance has no superuser (asks the database). */
  needed(): Promise<boolean>;
  /** The one-time token (null once a superuser exists, as of the last `needed()` on the engine; at once on SQLite). */
  token(): string | null;
  /** Creates the first superuser; `loopback` says the request came from this machine. */
  createFirstSuperuser(input: InstallRequest, loopback: boolean): Promise<{ id: string }>;
}

export { newInstallToken } from './install-token.ts';

/** `exists`: a superuser is known to exist already (the engine's start counted them): no token. */
export function createInstaller(target: SuperuserTarget, registry: CollectionRegistry, given?: string, exists = false): Installer {
  let token: string | null = exists ? null : given || newInstallToken();
  const settle = (n: number): boolean => {
    if (n > 0) token = null;
    return n === 0;
  };
  const needed = async (): Promise<boolean> => settle(await countSuperusers(target));
  const tokenMatches = (given: unknown): boolean => {
    if (token === null || typeof given !== 'string' || given === '') return false;
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };
  return {
    needed,
    token() {
      // On SQLite it asks at once; on the engine it answers as of the last `needed()`.
      if (isEngine(target)) return token;
      return settle(countSuperusers(target)) ? token : null;
    },
    async createFirstSuperuser(input, loopback) {
      if (!(await needed())) throw badRequest('A superuser already exists: sign in instead.');
      if (!loopback && !tokenMatches(input.token)) {
        throw forbidden('The first superuser can be created only from this machine or with the install link that `hearth serve` printed.');
      }
      if (typeof input.password !== 'string' || input.password !== input.passwordConfirm) {
        throw validationError('An error occurred while validating the submitted data.', {
          passwordConfirm: fieldError('validation_values_mismatch', "Values don't match."),
        });
      }
      const email = typeof input.email === 'string' ? input.email : '';
      const { id } = await upsertSuperuser(target, registry, email, input.password);
      token = null;
      return { id };
    },
  };
}
