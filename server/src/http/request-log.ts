/**
 * The first middleware: gives each request an id (a sane incoming `X-Request-Id` is kept,
 * else a new one; echoed in the response), binds it to every log line written meanwhile, and
 * when the response is ready records the request in the metrics (by route template) and in the
 * request log, in PocketBase's shape: `{type:"request", url, method, status, execTime, auth,
 * authId?, userIP?, remoteIP?, referer, userAgent, error?, details?, requestId}`.
 */
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { LOG_LEVELS, type LogStore, type LogsSettings } from '../admin/logs/index.ts';
import type { Metrics } from '../admin/metrics.ts';
import { AppError } from '../shared/errors.ts';
import { withLogContext, type Logger } from '../shared/logger.ts';
import type { AuthState, HearthContext, HearthEnv } from './context.ts';
import { resolveClientIp } from '../auth/index.ts';
import { clientIp, setResponseHeader } from './context.ts';

export interface ObservabilityDeps {
  logs: LogStore;
  logsSettings: () => LogsSettings;
  metrics: Metrics;
  /** A static token that may read /api/metrics besides superusers ('' = superusers only). */
  metricsToken: string;
}

/** Incoming ids longer than this, or with other characters, are replaced. */
const REQUEST_ID = /^[\w.:-]{1,100}$/;
/** PocketBase's caps on logged strings. */
const MAX_URL = 3000;
const MAX_HEADER = 2000;

/** Successful reads of these are not logged (the log would fill with its own viewers and scrapers). */
const QUIET_ON_SUCCESS = /^\/api\/(logs|metrics)(\/|$)/;

/** `?…` of a URL (without its fragment), or ''; cheaper than parsing the whole URL per request. */
function searchOf(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return '';
  const hash = url.indexOf('#', q);
  return hash < 0 ? url.slice(q) : url.slice(q, hash);
}

function routeOf(c: HearthContext): string {
  const label = c.get('routeLabel');
  if (label) return label;
  const routes = matchedRoutes(c);
  // The handler that answered: where several routes match (`/api/logs/stats` and `/api/logs/:id`), the first registered one.
  const answered = routes[c.req.routeIndex];
  if (answered && answered.method !== 'ALL') return answered.path;
  for (let i = routes.length - 1; i >= 0; i--) if (routes[i]!.method !== 'ALL') return routes[i]!.path;
  return 'unmatched';
}

/** What the log records of one answered request, whichever path served it. */
export interface AnsweredRequest {
  requestId: string;
  /** `performance.now()` when it arrived. */
  started: number;
  method: string;
  /** The path without the query string. */
  path: string;
  /** `?…` of the request URL, or ''. */
  search: string;
  /** The route template (metrics label). */
  route: string;
  status: number;
  error: Error | undefined;
  auth: AuthState | null;
  /** A request header as the app reads it (undefined when absent). */
  header(name: string): string | undefined;
  /** The socket's remote address, or 'unknown'. */
  remoteAddress: string;
}

export interface RequestLog {
  /** The request's id: a sane incoming `X-Request-Id`, else a new one. */
  requestId(incoming: string | undefined): string;
  /** Records a finished request in the metrics and the request log. */
  answered(r: AnsweredRequest): void;
}

export function createRequestLog(deps: ObservabilityDeps, logger: Logger, trustedProxies: string[]): RequestLog {
  return {
    requestId: (incoming) => (incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID()),
    answered(r) {
      const seconds = (performance.now() - r.started) / 1000;
      const { status, method, path, auth, requestId } = r;
      deps.metrics.observeRequest(method, r.route, status, seconds);
      if (status < 400 && QUIET_ON_SUCCESS.test(path)) return;
      const settings = deps.logsSettings();
      const err = r.error;
      const uri = (path + r.search).slice(0, MAX_URL);
      const data: Record<string, unknown> = {
        type: 'request',
        url: uri,
        method,
        status,
        execTime: Math.round(seconds * 1e6) / 1e3,
        auth: auth?.collection.name ?? '',
        referer: (r.header('referer') ?? '').slice(0, MAX_HEADER),
        userAgent: (r.header('user-agent') ?? '').slice(0, MAX_HEADER),
        requestId,
      };
      if (auth && settings.logAuthId) data.authId = auth.record.id;
      if (settings.logIP) {
        const socket = r.remoteAddress;
        data.userIP = resolveClientIp(socket, r.header('x-forwarded-for'), trustedProxies);
        data.remoteIP = socket;
      }
      if (err) {
        data.error = err.message;
        if (err instanceof AppError) data.details = err.data;
      }
      const level = err || status >= 500 ? LOG_LEVELS.error : LOG_LEVELS.info;
      let message = `${method} ${uri}`;
      // decodeURI changes only escapes; most URLs have none.
      if (uri.includes('%')) {
        try {
          message = `${method} ${decodeURI(uri)}`;
        } catch {
          // keep the raw form
        }
      }
      deps.logs.add({ level, message, data });
      logger.debug(message, { status, execTime: data.execTime, requestId });
    },
  };
}

export function requestLogMiddleware(log: RequestLog): MiddlewareHandler<HearthEnv> {
  return async (c, next) => {
    const requestId = log.requestId(c.req.header('x-request-id'));
    const started = performance.now();
    setResponseHeader(c, 'X-Request-Id', requestId);
    await withLogContext({ requestId }, () => next());
    log.answered({
      requestId,
      started,
      method: c.req.method,
      path: c.req.path,
      search: searchOf(c.req.url),
      route: routeOf(c),
      status: c.res.status,
      error: c.error,
      auth: c.get('auth'),
      header: (name) => c.req.header(name),
      remoteAddress: clientIp(c),
    });
  };
}
