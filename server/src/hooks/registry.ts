/**
 * One load of the hooks files: every handler they registered, by kind. A reload builds a new
 * registry and swaps it in whole, so a request never sees half of an old and half of a new set.
 */
import type {
  CronEvent,
  HearthHooks,
  HookContext,
  Middleware,
  RecordAfterHook,
  RecordBeforeHook,
  RouteHandler,
  RouteOptions,
  SignInEvent,
} from './api.ts';
import { ApiError } from './api-error.ts';
import { requireAuth, requireGuestOnly, requireSameCollectionContextAuth, requireSuperuser, requireSuperuserOrOwnerAuth } from './route-guards.ts';

type Action = 'create' | 'update' | 'delete';

export interface RouteDef {
  method: string;
  path: string;
  handler: RouteHandler;
  middlewares: Middleware[];
  options: RouteOptions;
}

export interface CronDef {
  name: string;
  expression: string;
  fn: (e: CronEvent) => unknown;
}

export interface RequestHookDef {
  collection?: string;
  path?: string;
  fn: Middleware;
}

interface Scoped<F> {
  collection: string;
  fn: F;
}

export interface HookRegistry {
  before: Record<Action, Scoped<RecordBeforeHook>[]>;
  after: Record<Action, Scoped<RecordAfterHook>[]>;
  signIn: Scoped<(e: SignInEvent) => void>[];
  signUp: Scoped<RecordAfterHook>[];
  requests: RequestHookDef[];
  routes: RouteDef[];
  crons: CronDef[];
}

export const CRON_NAME = /^[A-Za-z0-9_.-]{1,100}$/;
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

export function emptyRegistry(): HookRegistry {
  return {
    before: { create: [], update: [], delete: [] },
    after: { create: [], update: [], delete: [] },
    signIn: [],
    signUp: [],
    requests: [],
    routes: [],
    crons: [],
  };
}

function assertSync(fn: (...args: never[]) => unknown, what: string): void {
  if (fn.constructor.name === 'AsyncFunction') {
    throw new Error(`${what} must be synchronous (do async work in an after hook)`);
  }
}

/** The API object handed to each hooks file; everything it registers lands in `reg`. */
export function registryApi(reg: HookRegistry, app: HookContext): HearthHooks {
  // May be async (hooks/runtime.ts awaits it inside the write's transaction).
  const before = (action: Action) => (collection: string, fn: RecordBeforeHook) => void reg.before[action].push({ collection, fn });
  const after = (action: Action) => (collection: string, fn: RecordAfterHook) => void reg.after[action].push({ collection, fn });
  return {
    onRecordBeforeCreate: before('create'),
    onRecordBeforeUpdate: before('update'),
    onRecordBeforeDelete: before('delete'),
    onRecordAfterCreate: after('create'),
    onRecordAfterUpdate: after('update'),
    onRecordAfterDelete: after('delete'),
    onBeforeSignIn(collection, fn) {
      assertSync(fn, 'onBeforeSignIn');
      reg.signIn.push({ collection, fn });
    },
    onAfterSignUp: (collection, fn) => void reg.signUp.push({ collection, fn }),
    onRequest(match, fn) {
      if (!match.collection && !match.path) throw new Error('onRequest needs a collection or a path');
      reg.requests.push({ ...match, fn });
    },
    routerAdd(method, path, handler, options) {
      const m = method.toUpperCase();
      if (!METHODS.has(m)) throw new Error(`routerAdd: unsupported method "${method}"`);
      if (!path.startsWith('/')) throw new Error(`routerAdd: path must start with "/" (got "${path}")`);
      const opts: RouteOptions = Array.isArray(options) ? { middlewares: options } : (options ?? {});
      reg.routes.push({ method: m, path, handler, middlewares: opts.middlewares ?? [], options: opts });
    },
    cronAdd(name, expression, fn) {
      if (!CRON_NAME.test(name)) throw new Error(`cronAdd: invalid job name "${name}" (letters, digits, _ . -)`);
      const i = reg.crons.findIndex((c) => c.name === name);
      if (i >= 0) reg.crons.splice(i, 1); // as PocketBase: the same name replaces the job
      reg.crons.push({ name, expression, fn });
    },
    requireAuth,
    requireSuperuser,
    requireGuestOnly,
    requireSuperuserOrOwnerAuth,
    requireSameCollectionContextAuth,
    ApiError,
    app,
  };
}

/** Handlers registered for `collection` (by name) or for every collection ('*'). */
export function scoped<F>(list: Scoped<F>[], collection: string): F[] {
  const out: F[] = [];
  for (const s of list) if (s.collection === '*' || s.collection === collection) out.push(s.fn);
  return out;
}
