/** Hono environment of Hearth's routes and helpers to build a RequestInfo from a request. */
import type { Context } from 'hono';
import { lazyHeadersInfo, type RequestAuth, type RequestInfo } from '../rules/index.ts';
import type { Body } from './body.ts';
import { resolveClientIp } from '../auth/index.ts';

export interface AuthState extends RequestAuth {
  sessionId: string;
}

export type HearthEnv = {
  Variables: {
    auth: AuthState | null;
    /** The route template for metrics where one handler serves several (e.g. `/api/logs/stats`). */
    routeLabel?: string;
  };
};

export type HearthContext = Context<HearthEnv>;

/** Request headers as rules see them (`@request.headers.*`). */
export function ruleHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    if (key === 'authorization' || key === 'cookie') return; // never exposed to rules
    out[key.replaceAll('-', '_')] = value;
  });
  return out;
}

export function requestInfo(c: HearthContext, body: Body = {}): RequestInfo {
  // Headers are built on first use: reading every header makes the adapter materialise a full
  // Headers object, and only rules or filters that mention @request.headers need them.
  return lazyHeadersInfo({ auth: c.get('auth'), method: c.req.method, query: c.req.query() }, body, () => ruleHeaders(c.req.raw.headers));
}

export function clientIp(c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}

/** The client's address: the socket's, or what a trusted proxy forwarded (auth/client-ip.ts). */
export function callerIp(c: Context, trustedProxies: readonly string[]): string {
  return resolveClientIp(clientIp(c), c.req.header('x-forwarded-for'), trustedProxies);
}

/**
 * Sets a response header on Node's response when there is one: merged by `writeHead`, it keeps
 * the adapter's cheap path, where `c.header()` makes Hono build a Headers object per response
 * (which the adapter then converts back). Elsewhere (`app.request()` in tests) it is `c.header()`.
 */
export function setResponseHeader(c: Context, name: string, value: string): void {
  const outgoing = (c.env as { outgoing?: { setHeader?: (n: string, v: string) => void } } | undefined)?.outgoing;
  if (typeof outgoing?.setHeader === 'function') outgoing.setHeader(name, value);
  else c.header(name, value);
}
