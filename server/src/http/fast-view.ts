/**
 * `GET /api/collections/{collection}/records/{id}` answered straight from Node's request: the
 * busiest read, where the Hono adapter, router and six middleware levels (their per-request
 * objects, closures and promises) cost as much as the record read itself. It does what that
 * chain does, through the same functions — request id and log line, metrics, CORS, the schema
 * refresh, the caller, rate limits, the records service, the error shape — and takes only
 * requests the chain would treat plainly: no query string, plain path segments, a valid Host,
 * no custom route or request hook for its path. Everything else goes to the app.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Hooks } from '../hooks/index.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import { hooksOn } from './hook-routes.ts';
import type { RecordsService } from '../records/index.ts';
import type { ApiRecord } from '../records/serialize.ts';
import type { RequestInfo } from '../rules/index.ts';
import { withLogContext, type Logger } from '../shared/logger.ts';
import type { AuthState } from './context.ts';
import { ruleHeaders } from './context.ts';
import type { CorsPolicy } from './cors.ts';
import { errorAnswer } from './errors.ts';
import type { RateLimitedRequest } from './rate-limit.ts';
import type { RequestLog } from './request-log.ts';

export type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;
/** Answers the request and returns true, or returns false (having touched nothing) to let the app answer. */
export type FastLane = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Segments that decode to themselves, so the route's params are exactly these characters. */
const PATH = /^\/api\/collections\/([A-Za-z0-9_]+)\/records\/([A-Za-z0-9_-]+)$/;
const ROUTE = '/api/collections/:collection/records/:id';
/** The Host the adapter builds a URL from without normalising it (its own check). */
const PLAIN_HOST = /^[a-z0-9._-]+(?::(?:[1-5]\d{3,4}|[6-9]\d{3}))?$/;
/** Headers Node keeps only once, which the adapter reads from the raw list, joined (`, `). */
const RAW_READ = new Set(['authorization', 'referer', 'user-agent', 'host']);
const FORBIDDEN_VALUE = /[\0\r\n]/;
const isHttpWhitespace = (code: number): boolean => code === 9 || code === 10 || code === 13 || code === 32;

function trimHttp(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isHttpWhitespace(value.charCodeAt(start))) start++;
  while (end > start && isHttpWhitespace(value.charCodeAt(end - 1))) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

/**
 * A request header as the app's `c.req.header()` reads it; null when a value holds a character
 * the adapter would refuse (then the app answers).
 */
function readHeader(req: IncomingMessage, name: string): string | undefined | null {
  let value: string | undefined;
  if (RAW_READ.has(name)) {
    const raw = req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) {
      const rawName = raw[i]!;
      if (rawName.length !== name.length || rawName.toLowerCase() !== name) continue;
      const v = trimHttp(raw[i + 1]!);
      value = value === undefined ? v : `${value}, ${v}`;
    }
  } else {
    const v = req.headers[name];
    if (typeof v === 'string') value = trimHttp(v);
  }
  return value !== undefined && FORBIDDEN_VALUE.test(value) ? null : value;
}

/** Every header as the adapter materialises them (what `@request.headers` is built from). */
function materialised(req: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) if (!raw[i]!.startsWith(':')) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

export interface FastLaneDeps {
  records: RecordsService;
  hooks: Hooks;
  /** To tell which collection a request hook names. */
  registry: CollectionRegistry;
  cors: CorsPolicy;
  /** The schema refresh and caller resolution of the app's `caller` middleware. */
  refreshSchema: () => void;
  resolveCaller: (authorization: string | undefined) => Promise<AuthState | null>;
  rateLimit: (r: RateLimitedRequest) => void;
  /** Absent when the app has no request log (then no X-Request-Id either). */
  requestLog?: RequestLog;
  logger: Logger;
}

const isPromise = <T>(v: T | Promise<T>): v is Promise<T> => typeof (v as { then?: unknown })?.then === 'function';

export function createFastLane(deps: FastLaneDeps): FastLane {
  return (req, res) => {
    if (req.method !== 'GET') return false;
    const m = PATH.exec(req.url ?? '');
    if (!m) return false;
    // Hooks elsewhere leave this lane open: only a custom route or request hook for this path closes it.
    const reg = deps.hooks.current();
    if (reg.routes.length > 0 || reg.requests.length > 0) {
      const on = hooksOn(reg, deps.registry, 'GET', req.url!);
      if (on.found || on.around.length > 0) return false;
    }
    const host = readHeader(req, 'host');
    if (!host || !PLAIN_HOST.test(host)) return false;
    const read: Record<string, string | undefined> = {};
    for (const name of ['x-request-id', 'origin', 'authorization', 'x-forwarded-for', 'referer', 'user-agent']) {
      const value = readHeader(req, name);
      if (value === null) return false;
      read[name] = value;
    }
    serve(deps, req, res, m[1]!, m[2]!, read);
    return true;
  };
}

function serve(deps: FastLaneDeps, req: IncomingMessage, res: ServerResponse, collection: string, id: string, header: Record<string, string | undefined>): void {
  const log = deps.requestLog;
  const started = performance.now();
  const requestId = log?.requestId(header['x-request-id']);
  if (requestId !== undefined) res.setHeader('X-Request-Id', requestId);
  const remoteAddress = req.socket?.remoteAddress ?? 'unknown';
  let auth: AuthState | null = null;

  const finish = (status: number, body: unknown, error: Error | undefined, retryAfter?: number): void => {
    const text = JSON.stringify(body);
    const headers: Record<string, string | number> = { 'content-type': 'application/json', 'Content-Length': Buffer.byteLength(text) };
    if (retryAfter) headers['retry-after'] = String(retryAfter);
    res.writeHead(status, headers);
    res.end(text);
    if (log && requestId !== undefined) {
      log.answered({ requestId, started, method: 'GET', path: req.url!, search: '', route: ROUTE, status, error, auth, header: (name) => header[name], remoteAddress });
    }
  };
  const fail = (err: unknown): void => {
    const answer = errorAnswer(err, 'GET', req.url!, deps.logger);
    finish(answer.status, answer.body, err instanceof Error ? err : undefined, answer.retryAfter);
  };

  const run = (): void => {
    try {
      const allow = deps.cors.allowFor(header.origin);
      if (allow) res.setHeader('Access-Control-Allow-Origin', allow);
      if (deps.cors.varies) res.setHeader('Vary', 'Origin');
      deps.refreshSchema();
    } catch (err) {
      fail(err);
      return;
    }
    deps.resolveCaller(header.authorization).then(answer, fail);
  };
  const answer = (caller: AuthState | null): void => {
    try {
      auth = caller;
      deps.rateLimit({ method: 'GET', path: req.url!, auth, remoteAddress, forwardedFor: header['x-forwarded-for'] });
      let headers: Record<string, string> | undefined;
      const info: RequestInfo = {
        auth,
        method: 'GET',
        query: {},
        get headers() {
          return (headers ??= ruleHeaders(materialised(req)));
        },
        body: {},
      };
      const out: ApiRecord | Promise<ApiRecord> = deps.records.view(collection, id, {}, info);
      if (isPromise(out)) out.then((record) => finish(200, record, undefined), fail);
      else finish(200, out, undefined);
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
