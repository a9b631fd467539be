/** What the auth route files share: the collection guard, the caller's address, and response shapes. */
import type { Context } from 'hono';
import { SUPERUSERS_COLLECTION, type Auth, type AuthOutcome, type AuthRequest } from '../../auth/index.ts';
import type { CollectionRegistry } from '../../collections/registry.ts';
import type { Collection } from '../../collections/model.ts';
import type { RecordsService } from '../../records/index.ts';
import { notFound, unauthorized } from '../../shared/errors.ts';
import type { Body } from '../body.ts';
import { callerIp, requestInfo, type AuthState, type HearthContext } from '../context.ts';

export interface AuthRouteDeps {
  registry: CollectionRegistry;
  auth: Auth;
  records: RecordsService;
  /** Socket addresses whose X-Forwarded-For is believed (config `trustedProxies`). */
  trustedProxies: string[];
}

export function authCollection(registry: CollectionRegistry, name: string): Collection {
  const collection = registry.find(name);
  if (!collection || collection.type !== 'auth') throw notFound('Missing or invalid auth collection context.');
  return collection;
}

export interface CallerMeta {
  ip: string;
  userAgent: string;
}

export function callerMeta(c: Context, trustedProxies: string[]): CallerMeta {
  return {
    ip: callerIp(c, trustedProxies),
    userAgent: c.req.header('user-agent') ?? '',
  };
}

/** The sign-in context: request info for rules, address, and a pending `mfaId` (query or body, like PocketBase). */
export function authRequest(c: HearthContext, deps: AuthRouteDeps, body: Body): AuthRequest {
  const fromQuery = c.req.query('mfaId');
  const mfaId = fromQuery || (typeof body.mfaId === 'string' ? body.mfaId : undefined);
  return { info: requestInfo(c, body), ...callerMeta(c, deps.trustedProxies), ...(mfaId ? { mfaId } : {}) };
}

/**
 * `{token, record, meta?}` with the record as its owner sees it (own email always visible) and
 * the request's `expand` applied with the new auth, as PocketBase does.
 */
export async function authResponse(
  c: HearthContext,
  deps: AuthRouteDeps,
  collection: Collection,
  token: string,
  row: Record<string, unknown>,
  meta?: Record<string, unknown>,
) {
  const info = {
    ...requestInfo(c),
    auth: { collection, record: row, isSuperuser: collection.name === SUPERUSERS_COLLECTION },
  };
  const expand = c.req.query('expand');
  const record = await deps.records.present(collection, row, expand ? { expand } : {}, info);
  return { token, record, ...(meta ? { meta } : {}) };
}

/** A finished sign-in, or PocketBase's MFA answer: 401 with the `mfaId` for the second factor. */
export async function respondOutcome(c: HearthContext, deps: AuthRouteDeps, outcome: AuthOutcome): Promise<Response> {
  if (outcome.kind === 'mfa') {
    return c.json({ status: 401, message: 'Please complete the second authentication factor.', data: {}, mfaId: outcome.mfaId }, 401);
  }
  return c.json(await authResponse(c, deps, outcome.collection, outcome.token, outcome.record, outcome.meta));
}

/** The signed-in caller, who must belong to `collection`; 401 otherwise. */
export function requireOwnAuth(c: HearthContext, collection: Collection): AuthState {
  const auth = c.get('auth');
  if (!auth || auth.collection.id !== collection.id) throw unauthorized('The request requires valid record authorization token.');
  return auth;
}

export function bearerToken(c: Context): string {
  const header = c.req.header('authorization') ?? '';
  return header.replace(/^Bearer\s+/i, '').trim();
}
