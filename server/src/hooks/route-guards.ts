/** Ready-made middlewares for custom routes: require a signed-in caller, or a superuser. */
import type { Middleware } from './api.ts';
import { ApiError } from './api-error.ts';

export function requireAuth(collection?: string): Middleware {
  return (e, next) => {
    if (!e.auth) throw new ApiError(401, 'The request requires valid record authorization token.');
    if (collection && e.auth.collectionName !== collection) {
      throw new ApiError(403, 'The authorized record is not allowed to perform this action.');
    }
    return next();
  };
}

export function requireSuperuser(): Middleware {
  return (e, next) => {
    if (!e.auth) throw new ApiError(401, 'The request requires valid superuser authorization token.');
    if (!e.auth.isSuperuser) throw new ApiError(403, 'The authorized record is not allowed to perform this action.');
    return next();
  };
}
