/**
 * The typed API a hooks file receives: `export default (hearth: HearthHooks) => { … }`. Hook
 * files import these types with `import type { HearthHooks } from '@hearth/server/hooks'`
 * (erased at load, so nothing needs to resolve at run time).
 */
import type { Logger } from '../shared/logger.ts';

export type HookRecord = Record<string, unknown> & { id: string };

/** Who made the request: an auth record (or a superuser), or null for anonymous callers. */
export interface HookAuth {
  collectionName: string;
  collectionId: string;
  /** The caller's record (password and tokenKey removed). */
  record: HookRecord;
  isSuperuser: boolean;
}

export interface HookCollection {
  id: string;
  name: string;
  type: string;
}

/** A value on SQLite, a promise on PostgreSQL: `await` it and the hook runs on both. */
export type HookResult<T> = T | Promise<T>;

/** SQL inside the write's transaction (parameterised; `?` placeholders). */
export interface HookTx {
  get<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): HookResult<T | undefined>;
  all<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): HookResult<T[]>;
  run(sql: string, params?: readonly unknown[]): HookResult<{ changes: number }>;
}

export interface ListResult {
  page: number;
  perPage: number;
  totalItems: number;
  totalPages: number;
  items: HookRecord[];
}

/** The records service as one caller: rules apply exactly as for a request by that caller. */
export interface HookRecords {
  list(collection: string, query?: Record<string, string>): Promise<ListResult>;
  view(collection: string, id: string, query?: Record<string, string>): Promise<HookRecord>;
  create(collection: string, body: Record<string, unknown>): Promise<HookRecord>;
  update(collection: string, id: string, body: Record<string, unknown>): Promise<HookRecord>;
  delete(collection: string, id: string): Promise<void>;
}

export interface HookMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** Services every hook receives. Rules are never bypassed silently: pick `system` or `as(auth)`. */
export interface HookContext {
  records: {
    /** Rules bypassed (acts as a superuser). */
    system: HookRecords;
    /** Rules applied as `auth` (null = an anonymous caller). */
    as(auth: HookAuth | null): HookRecords;
  };
  /** Sends through the configured SMTP (or prints in --dev); resolves false if not delivered. */
  mail: { send(mail: HookMail): Promise<boolean> };
  logger: Logger;
}

export interface RecordBeforeEvent {
  action: 'create' | 'update' | 'delete';
  collection: HookCollection;
  /** The fields being written; change them to change what is stored ({} for delete). */
  body: Record<string, unknown>;
  /** The stored record before the change (null for create). */
  record: HookRecord | null;
  auth: HookAuth | null;
  /** The write's transaction: reads see uncommitted changes, writes roll back with it. */
  tx: HookTx;
  app: HookContext;
}

export interface RecordAfterEvent {
  action: 'create' | 'update' | 'delete';
  collection: HookCollection;
  /** The committed record (for delete: as it was). Password and tokenKey removed. */
  record: HookRecord;
  app: HookContext;
}

export interface SignInEvent {
  collection: HookCollection;
  record: HookRecord;
  method: 'password' | 'otp' | 'oauth2';
  app: HookContext;
}

export interface RouteEvent {
  request: Request;
  /** Path parameters, e.g. `{name}` in `/api/hello/{name}`. */
  params: Record<string, string>;
  query: Record<string, string>;
  auth: HookAuth | null;
  /** The parsed body (JSON, form or multipart), within the server's body limit. */
  body(): Promise<Record<string, unknown>>;
  json(status: number, data: unknown): Response;
  app: HookContext;
}

export type RouteHandler = (e: RouteEvent) => unknown;
/** Runs around a handler; call `next()` to continue, or return (or throw) to stop. */
export type Middleware = (e: RouteEvent, next: () => Promise<Response>) => Response | Promise<Response>;

export interface RateLimit {
  /** Requests allowed per `windowSeconds` and client address. */
  limit: number;
  windowSeconds: number;
}

export interface RouteOptions {
  middlewares?: Middleware[];
  rateLimit?: RateLimit;
  /** Largest request body in bytes for this route (PocketBase's `BodyLimit`); over it → 413. It can only lower the server's limit. */
  bodyLimit?: number;
  /** An OpenAPI 3.1 operation object, merged into GET /api/openapi.json. */
  openapi?: Record<string, unknown>;
}

export interface CronEvent {
  name: string;
  /** The tick this run is for (the same instant in every process); null for a manual run. */
  scheduled: Date | null;
}

/** May be async: the write's transaction stays open until it settles (keep it short, writers wait). */
export type RecordBeforeHook = (e: RecordBeforeEvent) => void | Promise<void>;
export type RecordAfterHook = (e: RecordAfterEvent) => void | Promise<void>;

export interface HearthHooks {
  /** Before hooks run inside the write's transaction (an async one holds it until it settles); a throw answers 400 with its message (an ApiError keeps its status). `collection` '*' = every collection. */
  onRecordBeforeCreate(collection: string, fn: RecordBeforeHook): void;
  onRecordBeforeUpdate(collection: string, fn: RecordBeforeHook): void;
  onRecordBeforeDelete(collection: string, fn: RecordBeforeHook): void;
  /** After hooks run after the commit; errors are logged and do not change the response. */
  onRecordAfterCreate(collection: string, fn: RecordAfterHook): void;
  onRecordAfterUpdate(collection: string, fn: RecordAfterHook): void;
  onRecordAfterDelete(collection: string, fn: RecordAfterHook): void;
  /** After the credential checked out, before a token is issued; a throw refuses the sign-in. */
  onBeforeSignIn(collection: string, fn: (e: SignInEvent) => void): void;
  /** After a record of an auth collection was created (any path: REST, OAuth2, batch). */
  onAfterSignUp(collection: string, fn: RecordAfterHook): void;
  /** Around every request to a collection's endpoints (`{collection}`) or under a path prefix (`{path}`). */
  onRequest(match: { collection?: string; path?: string }, fn: Middleware): void;
  /** A route on the same server: our auth, error shape, body limit; `{name}` and a trailing `{rest...}` capture. */
  routerAdd(method: string, path: string, handler: RouteHandler, options?: Middleware[] | RouteOptions): void;
  /** A job on a 5-field cron expression (or 6 with seconds); runs once per tick across every process on the data dir. */
  cronAdd(name: string, expression: string, fn: (e: CronEvent) => unknown): void;
  /** Middleware: 401 without a valid token; 403 if `collections` are given and the caller's is not one of them. */
  requireAuth(...collections: string[]): Middleware;
  /** Middleware: 401 without a token, 403 for anyone but a superuser. */
  requireSuperuser(): Middleware;
  /** Middleware: 400 for a signed-in caller. */
  requireGuestOnly(): Middleware;
  /** Middleware: a superuser, or the record whose id is path parameter `param` (default `id`); else 401/403. */
  requireSuperuserOrOwnerAuth(param?: string): Middleware;
  /** Middleware: a record of the collection (name or id) in path parameter `param` (default `collection`); else 401/403. */
  requireSameCollectionContextAuth(param?: string): Middleware;
  /** Throw to answer with this status (400, 401, 403, 404, 413, 429; others answer 400) and message. */
  ApiError: new (status: number, message: string, data?: Record<string, unknown>) => Error;
  app: HookContext;
}
