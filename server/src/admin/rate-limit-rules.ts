/**
 * PocketBase's rate-limit rule labels: which labels are valid, and which rule a request falls
 * under. A request is described by a list of labels, most specific first — for a record create
 * in `posts`: `posts:create`, `*:create`, `POST /api/collections/posts/records`,
 * `/api/collections/posts/records`. The first label with a rule of the caller's audience wins;
 * a rule whose label ends in `/` is a path prefix. Hearth's own auth buckets use labels such as
 * `auth-with-password:ip`; they are valid here too but never match a request label.
 */

export const RATE_LIMIT_AUDIENCES = ['', '@guest', '@auth'] as const;
export type RateLimitAudience = (typeof RATE_LIMIT_AUDIENCES)[number];

export interface LabelledRule {
  label: string;
  audience: RateLimitAudience;
  duration: number;
  maxRequests: number;
}

/**
 * PocketBase's label forms — `METHOD /path`, `/path`, `collection:action`, `*:action`, a plain
 * tag — plus hyphenated `name:scope` for Hearth's built-in auth buckets.
 */
const LABEL = /^(\w+ \/[\w/-]*|\/[\w/-]*|[\w-]+:[\w-]+|\*:\w+|\w+)$/;

export function isRateLimitLabel(label: string): boolean {
  return LABEL.test(label);
}

/** The record and auth actions PocketBase tags per collection route (`<collection>:<tag>`). */
const AUTH_ACTION_TAGS: Record<string, string[]> = {
  'auth-methods': ['listAuthMethods'],
  'auth-refresh': ['authRefresh'],
  'auth-with-password': ['authWithPassword', 'auth'],
  'auth-with-oauth2': ['authWithOAuth2', 'auth'],
  'request-otp': ['requestOTP'],
  'auth-with-otp': ['authWithOTP', 'auth'],
  'request-password-reset': ['requestPasswordReset'],
  'confirm-password-reset': ['confirmPasswordReset'],
  'request-verification': ['requestVerification'],
  'confirm-verification': ['confirmVerification'],
  'request-email-change': ['requestEmailChange'],
  'confirm-email-change': ['confirmEmailChange'],
};

const COLLECTION_ROUTE = /^\/api\/collections\/([^/]+)\/(records(?:\/([^/]+))?|[a-z0-9-]+)\/?$/;
const FILE_ROUTE = /^\/api\/files\/([^/]+)\/[^/]+\/[^/]+$/;

/** The collection (name or id, as written in the URL) and action tags of a route, if it has them. */
export function collectionRouteTags(method: string, path: string): { collection: string; tags: string[] } | null {
  // HEAD is a GET without the body: the same label, as PocketBase's router treats it.
  const file = method === 'GET' || method === 'HEAD' ? FILE_ROUTE.exec(path) : null;
  if (file) return { collection: decodeURIComponent(file[1]!), tags: ['file'] };
  const m = COLLECTION_ROUTE.exec(path);
  if (!m) return null;
  const collection = decodeURIComponent(m[1]!);
  if (m[2]!.startsWith('records')) {
    const withId = m[3] !== undefined;
    const tag = method === 'GET' ? (withId ? 'view' : 'list') : method === 'POST' && !withId ? 'create' : method === 'PATCH' && withId ? 'update' : method === 'DELETE' && withId ? 'delete' : null;
    return tag ? { collection, tags: [tag] } : null;
  }
  const tags = AUTH_ACTION_TAGS[m[2]!];
  return tags ? { collection, tags } : null;
}

/** The labels of a request, most specific first. */
export function requestLabels(method: string, path: string, route: { collection: string; tags: string[] } | null): string[] {
  const base = [`${method} ${path}`, path];
  if (!route) return base;
  return [...route.tags.map((t) => `${route.collection}:${t}`), ...route.tags.map((t) => `*:${t}`), ...base];
}

/** PocketBase's matching: exact labels in order, each followed by the prefix (`…/`) rules. */
export function findRateLimitRule<R extends LabelledRule>(rules: readonly R[], labels: readonly string[], authenticated: boolean): R | null {
  const audienceOk = (r: R) => r.audience === '' || r.audience === (authenticated ? '@auth' : '@guest');
  const prefixRules = rules.filter((r) => r.label.endsWith('/'));
  for (const label of labels) {
    const exact = rules.find((r) => r.label === label && audienceOk(r));
    if (exact) return exact;
    const prefix = prefixRules.find((r) => `${label}/`.startsWith(r.label) && audienceOk(r));
    if (prefix) return prefix;
  }
  return null;
}
