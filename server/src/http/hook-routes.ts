/**
 * Mounts what hooks files registered: custom routes (`routerAdd`) and request hooks
 * (`onRequest`) on the main app, so they share its caller resolution, error shape, body limit
 * and CORS. Read from the live registry on every request (reloads apply at once); with nothing
 * registered the middleware is one array check.
 */
import type { Context, MiddlewareHandler, Next } from 'hono';
import type { HookRegistry, Hooks, Middleware, RouteDef, RouteEvent } from '../hooks/index.ts';
import { hookAuth } from '../hooks/index.ts';
import { createRateLimiter, enforceRateLimits, type RateLimiter } from '../auth/index.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import { readBody, type Body } from './body.ts';
import { bodyLimitMiddleware } from './body-limit.ts';
import type { HearthEnv } from './context.ts';
import { callerMeta } from './routes/auth-shared.ts';

interface Compiled {
  pattern: RegExp;
  names: string[];
  limiter: RateLimiter | null;
}

const compiled = new WeakMap<RouteDef, Compiled>();

/** `/api/hello/{name}` → a regex with one group per `{param}`; a last `{rest...}` takes the remainder. */
export function compilePath(path: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = path
    .split('/')
    .map((seg) => {
      const m = /^\{([A-Za-z_][A-Za-z0-9_]*)(\.\.\.)?\}$/.exec(seg);
      if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(m[1]!);
      return m[2] ? '(.*)' : '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}/?$`), names };
}

function compiledOf(route: RouteDef): Compiled {
  let out = compiled.get(route);
  if (!out) {
    const rule = route.options.rateLimit;
    const limiter = rule ? createRateLimiter({ rules: { route: rule } }) : null;
    out = { ...compilePath(route.path), limiter };
    compiled.set(route, out);
  }
  return out;
}

function match(routes: RouteDef[], method: string, path: string): { route: RouteDef; params: Record<string, string> } | null {
  for (const route of routes) {
    if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue;
    const c = compiledOf(route);
    const m = c.pattern.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    c.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1] ?? '')));
    return { route, params };
  }
  return null;
}

function routeEvent(c: Context<HearthEnv>, hooks: Hooks, params: Record<string, string>): RouteEvent {
  let body: Promise<Body> | null = null;
  return {
    request: c.req.raw,
    params,
    query: c.req.query(),
    auth: hookAuth(c.get('auth') ?? null),
    body: () => (body ??= readBody(c)),
    json: (status, data) => c.json(data as object, status as 200),
    app: hooks.context,
  };
}

function toResponse(c: Context, out: unknown): Response {
  if (out instanceof Response) return out;
  if (out === undefined) return c.body(null, 204);
  return c.json(out as object);
}

/** Runs `chain` around `last`; every step may answer early or throw (errors get the usual shape). */
function run(e: RouteEvent, chain: Middleware[], last: () => Promise<Response>): Promise<Response> {
  const step = async (i: number): Promise<Response> => (i === chain.length ? last() : chain[i]!(e, () => step(i + 1)));
  return step(0);
}

function collectionOf(registry: CollectionRegistry, path: string): string | null {
  const m = /^\/api\/collections\/([^/]+)(?:\/|$)/.exec(path);
  if (!m) return null;
  const key = decodeURIComponent(m[1]!);
  return registry.find(key)?.name ?? key;
}

/** The custom route and the request hooks that apply to one request (none: the app answers it plainly). */
export function hooksOn(
  reg: HookRegistry,
  registry: CollectionRegistry,
  method: string,
  path: string,
): { found: ReturnType<typeof match>; around: HookRegistry['requests'] } {
  const found = reg.routes.length > 0 ? match(reg.routes, method, path) : null;
  if (reg.requests.length === 0) return { found, around: [] };
  const collection = collectionOf(registry, path);
  const around = reg.requests.filter((r) => (r.collection !== undefined && r.collection === collection) || (r.path !== undefined && path.startsWith(r.path)));
  return { found, around };
}

export interface HookRoutesDeps {
  hooks: Hooks;
  registry: CollectionRegistry;
  trustedProxies: string[];
  /** Body limit, caller resolution and rate limits for paths outside /api/ (where the app applies them already). */
  outsideApi: MiddlewareHandler<HearthEnv>[];
}

export function hookRoutes(deps: HookRoutesDeps): MiddlewareHandler<HearthEnv> {
  return async (c, next) => {
    const reg = deps.hooks.current();
    if (reg.routes.length === 0 && reg.requests.length === 0) return next();
    const path = c.req.path;
    const { found, around } = hooksOn(reg, deps.registry, c.req.method, path);
    if (!found && around.length === 0) return next();
    const handle = async (): Promise<void> => {
      const e = routeEvent(c, deps.hooks, found?.params ?? {});
      const last = found ? customRoute(c, e, found.route, deps.trustedProxies) : async () => (await next(), c.res);
      try {
        c.res = await run(e, around.map((r) => r.fn), last);
      } catch (err) {
        // Hono's error handler sees only Errors: a hook that throws `123` still gets the generic 500.
        throw err instanceof Error ? err : new Error(`a hook threw a non-Error value: ${String(err)}`);
      }
    };
    if (!found || path.startsWith('/api/')) return handle();
    return chainHono(c, deps.outsideApi, handle);
  };
}

function customRoute(c: Context<HearthEnv>, e: RouteEvent, route: RouteDef, trustedProxies: string[]): () => Promise<Response> {
  return async () => {
    const limiter = compiledOf(route).limiter;
    if (limiter) await enforceRateLimits(limiter, [[callerMeta(c, trustedProxies).ip, 'route']]);
    const bodyLimit = route.options.bodyLimit;
    if (bodyLimit !== undefined) {
      // PocketBase's per-route BodyLimit: under the server's limit, which was applied already.
      const refused = await bodyLimitMiddleware(() => bodyLimit)(c, async () => {});
      if (refused instanceof Response) return refused;
    }
    return run(e, route.middlewares, async () => toResponse(c, await route.handler(e)));
  };
}

async function chainHono(c: Context<HearthEnv>, list: MiddlewareHandler<HearthEnv>[], last: () => Promise<void>): Promise<void> {
  const step = async (i: number): Promise<void> => {
    if (i === list.length) return last();
    const res = await list[i]!(c, (() => step(i + 1)) as Next);
    if (res instanceof Response) c.res = res;
  };
  return step(0);
}
