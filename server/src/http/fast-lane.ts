/**
 * The record routes answered straight from Node's request — list, view, create, update and
 * delete of `/api/collections/{collection}/records[/{id}]`, the busiest routes, where the Hono
 * adapter, router and middleware levels (their per-request Request/Response objects, closures
 * and promises) cost as much as the data work. It does what that chain does, in its order and
 * through the same functions — request id and log line, metrics, CORS, the body limit, the
 * schema refresh, the caller, rate limits, the records service, the error shape — and takes
 * only requests the chain would treat plainly: plain path segments, a URL the adapter builds
 * without surprises, a valid Host, a JSON body of declared length for writes (none for a
 * delete), no custom route or request hook for the path. Everything else goes to the app.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getQueryParam } from 'hono/utils/url';
import type { Hooks } from '../hooks/index.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import { hooksOn } from './hook-routes.ts';
import type { RecordsService } from '../records/index.ts';
import { lazyHeadersInfo, type RequestInfo } from '../rules/index.ts';
import { withLogContext, type Logger } from '../shared/logger.ts';
import type { AuthState } from './context.ts';
import { ruleHeaders } from './context.ts';
import type { CorsPolicy } from './cors.ts';
import { errorAnswer, errorBody } from './errors.ts';
import { tooLargeError } from './body-limit.ts';
import { jsonBody, type Body } from './body.ts';
import { recordBodyKind } from './record-body.ts';
import { materialised, readDeclaredBody, readHeader, requestTarget, type RequestTarget } from './node-request.ts';
import type { RateLimitCheck } from './rate-limit.ts';
import type { RequestLog } from './request-log.ts';

export type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;
/** Answers the request and returns true, or returns false (having touched nothing) to let the app answer. */
export type FastLane = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Segments that decode to themselves, so the route's params are exactly these characters. */
const PATH = /^\/api\/collections\/([A-Za-z0-9_]+)\/records(?:\/([A-Za-z0-9_-]+))?$/;
const LIST_ROUTE = '/api/collections/:collection/records';
const ONE_ROUTE = '/api/collections/:collection/records/:id';
const DECLARED_LENGTH = /^\d{1,15}$/;
/** Headers the chain reads (log, CORS, caller, rate limits). */
const READ = ['x-request-id', 'origin', 'authorization', 'x-forwarded-for', 'referer', 'user-agent'];

type Op = 'list' | 'view' | 'create' | 'update' | 'delete';

/**
 * Parsed query strings of lists by URL text: a list reads its query and never changes it, and
 * clients repeat a few list URLs, so one frozen object serves them all (views name a new id
 * each time, writes hand theirs to hooks: they parse their own). Bounded in entries and URL
 * length; a full memo is dropped whole.
 */
const READ_QUERY_MEMO_SIZE = 512;
const READ_QUERY_MEMO_MAX_URL = 2048;
const readQueries = new Map<string, Record<string, string>>();

function queryOf(t: Taken): Record<string, string> {
  const url = t.target.url;
  // Only lists repeat their URLs (a view names a new id each time); no query, nothing to keep.
  if (t.op !== 'list' || t.target.search === '') return getQueryParam(url) as Record<string, string>;
  let query = readQueries.get(url);
  if (query) return query;
  query = Object.freeze(getQueryParam(url) as Record<string, string>);
  if (url.length <= READ_QUERY_MEMO_MAX_URL) {
    if (readQueries.size >= READ_QUERY_MEMO_SIZE) readQueries.clear();
    readQueries.set(url, query);
  }
  return query;
}

function opOf(method: string | undefined, hasId: boolean): Op | null {
  switch (method) {
    case 'GET':
      return hasId ? 'view' : 'list';
    case 'POST':
      return hasId ? null : 'create';
    case 'PATCH':
      return hasId ? 'update' : null;
    case 'DELETE':
      return hasId ? 'delete' : null;
    default:
      return null;
  }
}

export interface FastLaneDeps {
  records: RecordsService;
  hooks: Hooks;
  /** To tell which collection a request hook names. */
  registry: CollectionRegistry;
  cors: CorsPolicy;
  /** The body limit of a write to this path (upload-limits.ts). */
  bodyLimit: (path: string) => number;
  /** The schema refresh and caller resolution of the app's `caller` middleware. */
  refreshSchema: () => void;
  resolveCaller: (authorization: string | undefined) => Promise<AuthState | null>;
  /** Synchronous on one process's buckets; a promise when they are shared (then the request waits for it). */
  rateLimit: RateLimitCheck;
  /** Absent when the app has no request log (then no X-Request-Id either). */
  requestLog?: RequestLog;
  logger: Logger;
}

/** One request the lane took: what the chain would have read of it. */
interface Taken {
  op: Op;
  method: string;
  collection: string;
  id: string;
  target: RequestTarget;
  header: Record<string, string | undefined>;
  /** The declared body length of a write, checked against the body limit before the caller. */
  declared: number;
}

function take(deps: FastLaneDeps, req: IncomingMessage): Taken | null {
  const host = readHeader(req, 'host');
  if (!host) return null;
  const target = requestTarget(req, host);
  if (!target) return null;
  const m = PATH.exec(target.path);
  if (!m) return null;
  const op = opOf(req.method, m[2] !== undefined);
  if (!op) return null;
  const method = req.method!;
  // Hooks elsewhere leave this lane open: only a custom route or request hook for this path closes it.
  const reg = deps.hooks.current();
  if (reg.routes.length > 0 || reg.requests.length > 0) {
    const on = hooksOn(reg, deps.registry, method, target.path);
    if (on.found || on.around.length > 0) return null;
  }
  let declared = 0;
  if (op !== 'list' && op !== 'view') {
    if (req.headers['transfer-encoding'] !== undefined || req.httpVersionMajor !== 1) return null;
    const length = readHeader(req, 'content-length');
    if (op === 'delete') {
      if (length !== undefined) return null;
    } else {
      if (length == null || !DECLARED_LENGTH.test(length)) return null;
      const type = readHeader(req, 'content-type');
      if (type == null || recordBodyKind(type) !== 'json') return null;
      declared = Number(length);
    }
  }
  const header: Record<string, string | undefined> = {};
  for (const name of READ) {
    const value = readHeader(req, name);
    if (value === null) return null;
    header[name] = value;
  }
  return { op, method, collection: m[1]!, id: m[2] ?? '', target, header, declared };
}

export function createFastLane(deps: FastLaneDeps): FastLane {
  return (req, res) => {
    const m = req.method;
    if (m !== 'GET' && m !== 'POST' && m !== 'PATCH' && m !== 'DELETE') return false;
    if (!req.url?.startsWith('/api/collections/')) return false;
    const taken = take(deps, req);
    if (!taken) return false;
    serve(deps, req, res, taken);
    return true;
  };
}

function serve(deps: FastLaneDeps, req: IncomingMessage, res: ServerResponse, t: Taken): void {
  const { op, method, collection, id, header } = t;
  const path = t.target.path;
  const log = deps.requestLog;
  const started = performance.now();
  const requestId = log?.requestId(header['x-request-id']);
  const remoteAddress = req.socket?.remoteAddress ?? 'unknown';
  let auth: AuthState | null = null;
  let query: Record<string, string> | undefined;
  // The answer's headers, in the order the chain sets them, all handed to one writeHead (no
  // setHeader: each call validates and stores the header before writeHead merges them).
  const headers: Record<string, string | number> = {};
  if (requestId !== undefined) headers['X-Request-Id'] = requestId;

  const finish = (status: number, body: unknown, error: Error | undefined, retryAfter?: number): void => {
    if (body === null) {
      res.writeHead(status, headers);
      res.end();
    } else {
      const text = JSON.stringify(body);
      headers['content-type'] = 'application/json';
      headers['Content-Length'] = Buffer.byteLength(text);
      if (retryAfter) headers['retry-after'] = String(retryAfter);
      res.writeHead(status, headers);
      res.end(text);
    }
    if (log && requestId !== undefined) {
      const route = op === 'list' || op === 'create' ? LIST_ROUTE : ONE_ROUTE;
      log.answered({ requestId, started, method, path, search: t.target.search, route, status, error, auth, header: (name) => header[name], remoteAddress });
    }
  };
  const fail = (err: unknown): void => {
    const answer = errorAnswer(err, method, path, deps.logger);
    finish(answer.status, answer.body, err instanceof Error ? err : undefined, answer.retryAfter);
  };

  const run = (): void => {
    try {
      const allow = deps.cors.allowFor(header.origin);
      if (allow) headers['Access-Control-Allow-Origin'] = allow;
      if (deps.cors.varies) headers.Vary = 'Origin';
      if (op === 'create' || op === 'update') {
        const limit = deps.bodyLimit(path);
        if (t.declared > limit) {
          finish(413, errorBody(413, tooLargeError(limit).message), undefined);
          return;
        }
      }
      deps.refreshSchema();
    } catch (err) {
      fail(err);
      return;
    }
    // No Authorization header is an anonymous caller at once (what resolveCaller answers for it).
    if (!header.authorization) answer(null);
    else deps.resolveCaller(header.authorization).then(answer, fail);
  };
  /** A read answered in this turn (SQLite) is written at once; else when its promise settles. */
  const ok = (result: unknown): void => finish(200, result, undefined);
  const settle = (result: unknown): void => {
    if (result instanceof Promise) result.then(ok, fail);
    else ok(result);
  };
  const infoOf = (body: Body): RequestInfo =>
    lazyHeadersInfo({ auth, method, query: (query ??= queryOf(t)) }, body, () => ruleHeaders(materialised(req)));
  const answer = (caller: AuthState | null): void => {
    try {
      auth = caller;
      const charged = deps.rateLimit({ method, path, auth, remoteAddress, forwardedFor: header['x-forwarded-for'] });
      if (charged) charged.then(serve, fail);
      else serve();
    } catch (err) {
      fail(err);
    }
  };
  const serve = (): void => {
    try {
      const q = (query ??= queryOf(t));
      switch (op) {
        case 'list':
          settle(deps.records.listForClient(collection, q, infoOf({})));
          return;
        case 'view':
          settle(deps.records.view(collection, id, q, infoOf({})));
          return;
        case 'delete':
          deps.records.delete(collection, id, infoOf({})).then(() => finish(204, null, undefined), fail);
          return;
        default:
          readDeclaredBody(req)
            .then((text) => {
              const body = jsonBody(text);
              const info = infoOf(body);
              return op === 'create' ? deps.records.create(collection, body, q, info) : deps.records.update(collection, id, body, q, info);
            })
            .then((record) => finish(200, record, undefined), fail);
      }
    } catch (err) {
      fail(err);
    }
  };
  if (requestId !== undefined) withLogContext({ requestId }, run);
  else run();
}

/** The Node request listener: the fast lane first, the app for everything it leaves. */
export function withFastLane(lane: FastLane, app: NodeListener): NodeListener {
  return (req, res) => {
    if (!lane(req, res)) app(req, res);
  };
}
