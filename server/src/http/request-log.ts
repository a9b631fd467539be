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
import type { HearthContext, HearthEnv } from './context.ts';
import { callerMeta } from './routes/auth-shared.ts';
import { clientIp } from './context.ts';

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

/**
 * On Node's response when there is one: merged by `writeHead`, it keeps the adapter's cheap path
 * (a header set on `c.res` afterwards makes Hono build a Headers object per response).
 */
function setResponseHeader(c: HearthContext, name: string, value: string): void {
  const outgoing = (c.env as { outgoing?: { setHeader?: (n: string, v: string) => void } } | undefined)?.outgoing;
  if (typeof outgoing?.setHeader === 'function') outgoing.setHeader(name, value);
  else c.header(name, value);
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

export function requestLogMiddleware(deps: ObservabilityDeps, logger: Logger, trustedProxies: string[]): MiddlewareHandler<HearthEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const started = performance.now();
    setResponseHeader(c, 'X-Request-Id', requestId);
    await withLogContext({ requestId }, () => next());
    const seconds = (performance.now() - started) / 1000;
    const status = c.res.status;
    const method = c.req.method;
    deps.metrics.observeRequest(method, routeOf(c), status, seconds);
    const path = c.req.path;
    if (status < 400 && QUIET_ON_SUCCESS.test(path)) return;
    const settings = deps.logsSettings();
    const err = c.error;
    const auth = c.get('auth');
    const uri = (path + searchOf(c.req.url)).slice(0, MAX_URL);
    const data: Record<string, unknown> = {
      type: 'request',
      url: uri,
      method,
      status,
      execTime: Math.round(seconds * 1e6) / 1e3,
      auth: auth?.collection.name ?? '',
      referer: (c.req.header('referer') ?? '').slice(0, MAX_HEADER),
      userAgent: (c.req.header('user-agent') ?? '').slice(0, MAX_HEADER),
      requestId,
    };
    if (auth && settings.logAuthId) data.authId = auth.record.id;
    if (settings.logIP) {
      data.userIP = callerMeta(c, trustedProxies).ip;
      data.remoteIP = clientIp(c);
    }
    if (err) {
      data.error = err.message;
      if (err instanceof AppError) data.details = err.data;
    }
    const level = err || status >= 500 ? LOG_LEVELS.error : LOG_LEVELS.info;
    let message = `${method} ${uri}`;
    try {
      message = `${method} ${decodeURI(uri)}`;
    } catch {
      // keep the raw form
    }
    deps.logs.add({ level, message, data });
    logger.debug(message, { status, execTime: data.execTime, requestId });
  };
}
