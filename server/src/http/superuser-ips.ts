/**
 * Where http/ applies the `superuserIPs` setting (admin/superuser-ips.ts): a request that
 * carries a superuser's token from an address outside the list is refused (403) before its route
 * runs, on every path that resolves a caller (the app's chain and the fast lane), and a
 * superuser's file token from such an address counts for nothing.
 */
import type { Context } from 'hono';
import type { SuperuserIps } from '../admin/index.ts';
import { resolveClientIp } from '../auth/index.ts';
import { forbidden } from '../shared/errors.ts';
import { callerIp } from './context.ts';
import type { RateLimitCheck } from './rate-limit.ts';

/** The check run for every request with its caller resolved, refusing out-of-list superusers first. */
export function refuseOutOfListSuperusers(
  check: RateLimitCheck,
  superuserIps: SuperuserIps | undefined,
  trustedProxies: readonly string[],
): RateLimitCheck {
  if (!superuserIps) return check;
  return (r) => {
    if (r.auth?.isSuperuser) {
      const ip = resolveClientIp(r.remoteAddress, r.forwardedFor, trustedProxies);
      if (!superuserIps.allows(ip)) throw forbidden('Superusers may not act from this address.');
    }
    return check(r);
  };
}

/** True when a superuser may act from this request's address. */
export function superuserAllowedFor(superuserIps: SuperuserIps | undefined, trustedProxies: readonly string[]): (c: Context) => boolean {
  if (!superuserIps) return () => true;
  return (c) => {
    return superuserIps.allows(callerIp(c, trustedProxies));
  };
}
