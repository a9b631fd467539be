/**
 * The settings' rate-limit rules in PocketBase's label syntax (`*:create`, `posts:list`,
 * `POST /api/batch`, `/api/` …), applied to every `/api` request, and to custom routes outside
 * `/api`, before its route runs.
 * Superusers and `excludedIPs` are exempt; the bucket is per rule (per collection for the
 * `collection:action` forms) and per client address. Hearth's auth buckets are separate
 * (auth/rate-limit.ts) and checked by the auth endpoints themselves.
 * With shared buckets (several nodes on PostgreSQL) the check answers a promise: the request
 * goes on when the database has charged its bucket.
 */
import type { MiddlewareHandler } from 'hono';
import { collectionRouteTags, findRateLimitRule, requestLabels, type RateLimitSetting, type SettingsStore } from '../admin/index.ts';
import { createRateLimiter, enforceRateLimits, ipListMatcher, resolveClientIp, type RateLimitRule, type SharedBucketStore } from '../auth/index.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import { clientIp, type AuthState, type HearthEnv } from './context.ts';

export interface RateLimitDeps {
  settings: SettingsStore;
  registry: CollectionRegistry;
  trustedProxies: string[];
  /** Buckets shared with the other nodes (absent: this process's memory). */
  rateLimitBuckets?: SharedBucketStore;
}

const ruleId = (r: RateLimitSetting): string => `${r.label}@@${r.audience}`;

/** What the check reads of a request. */
export interface RateLimitedRequest {
  method: string;
  path: string;
  auth: AuthState | null;
  /** The socket's remote address, or 'unknown'. */
  remoteAddress: string;
  forwardedFor: string | undefined;
}

/** Throws (or, with shared buckets, rejects with) the 429 when the request exceeds its rule. */
export type RateLimitCheck = (r: RateLimitedRequest) => void | Promise<void>;

/** The check whichever path serves the request calls. */
export function createRateLimitCheck(deps: RateLimitDeps): RateLimitCheck {
  const limiter = createRateLimiter({ rules: {}, shared: deps.rateLimitBuckets });
  let excluded = ipListMatcher([]);
  const apply = (): void => {
    const { rules, excludedIPs } = deps.settings.get().rateLimits;
    limiter.setRules(Object.fromEntries(rules.map((r): [string, RateLimitRule] => [ruleId(r), { limit: r.maxRequests, windowSeconds: r.duration }])));
    limiter.reset();
    excluded = ipListMatcher(excludedIPs);
  };
  apply();
  deps.settings.onChange(apply);

  return ({ method, path, auth, remoteAddress, forwardedFor }) => {
    const { enabled, rules } = deps.settings.get().rateLimits;
    if (!enabled || auth?.isSuperuser) return;
    const ip = resolveClientIp(remoteAddress, forwardedFor, deps.trustedProxies);
    if (excluded(ip)) return;
    const tagged = collectionRouteTags(method, path);
    const collection = tagged ? deps.registry.find(tagged.collection) : undefined;
    const route = tagged && collection ? { collection: collection.name, tags: tagged.tags } : null;
    const rule = findRateLimitRule(rules, requestLabels(method, path, route), auth !== null);
    if (rule) {
      const scope = route && collection ? `${collection.id}|${route.tags.join(',')}` : '';
      return enforceRateLimits(limiter, [[`${scope}\u0000${ip}`, ruleId(rule)]]);
    }
  };
}

export function rateLimitMiddleware(check: RateLimitCheck): MiddlewareHandler<HearthEnv> {
  return (c, next) => {
    const charged = check({ method: c.req.method, path: c.req.path, auth: c.get('auth'), remoteAddress: clientIp(c), forwardedFor: c.req.header('x-forwarded-for') });
    return charged ? charged.then(next) : next();
  };
}
