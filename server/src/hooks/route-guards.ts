/**
 * Ready-made middlewares for custom routes, PocketBase's route middlewares under their Hearth
 * names: requireGuestOnly (RequireGuestOnly), requireAuth (RequireAuth), requireSuperuser
 * (RequireSuperuserAuth), requireSuperuserOrOwnerAuth (RequireSuperuserOrOwnerAuth) and
 * requireSameCollectionContextAuth (RequireSameCollectionContextAuth), with PocketBase's statuses
 * and messages.
 */
import type { Middleware } from './api.ts';
import { ApiError } from './api-error.ts';

/** 400 for a signed-in caller (a sign-up or sign-in page that must not run twice). */
export function requireGuestOnly(): Middleware {
  return (e, next) => {
    if (e.auth) throw new ApiError(400, 'The request can be accessed only by guests.');
    return next();
  };
}

/** 401 without a valid auth token; 403 when `collections` are given and the caller's is not one of them. */
export function requireAuth(...collections: string[]): Middleware {
  const allowed = collections.filter((c) => c !== '');
  return (e, next) => {
    if (!e.auth) throw new ApiError(401, 'The request requires valid record authorization token.');
    if (allowed.length > 0 && !allowed.includes(e.auth.collectionName)) {
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

/** A superuser, or the record whose id is the path parameter `param` (default `id`). */
export function requireSuperuserOrOwnerAuth(param = 'id'): Middleware {
  const name = param || 'id';
  return (e, next) => {
    if (!e.auth) throw new ApiError(401, 'The request requires superuser or record authorization token.');
    if (e.auth.isSuperuser) return next();
    const owner = e.params[name];
    if (!owner || e.auth.record.id !== owner) throw new ApiError(403, 'You are not allowed to perform this request.');
    return next();
  };
}

/**
 * A caller of the collection named (or with the id) in the path parameter `param` (default
 * `collection`). Superusers get no exception, as in PocketBase.
 */
export function requireSameCollectionContextAuth(param = 'collection'): Middleware {
  const name = param || 'collection';
  return (e, next) => {
    if (!e.auth) throw new ApiError(401, 'The request requires valid record authorization token.');
    const wanted = e.params[name] ?? '';
    const same = wanted !== '' && (wanted === e.auth.collectionId || wanted.toLowerCase() === e.auth.collectionName.toLowerCase());
    if (!same) throw new ApiError(403, `The request requires auth record from ${e.auth.collectionName} collection.`);
    return next();
  };
}
