/**
 * What a rule or filter may know about the request: who is calling and what they sent.
 * Built by http/ from the request; transport-agnostic so realtime and batch can build it too.
 */
import type { Collection } from '../collections/model.ts';

export interface RequestAuth {
  collection: Collection;
  /** The caller's raw row from its auth collection table. */
  record: Record<string, unknown>;
  isSuperuser: boolean;
}

/**
 * Where the rule is being checked (`@request.context`), as PocketBase names it: a plain request,
 * the view rule of an expanded relation, a realtime delivery, a protected file download, one
 * operation of a batch, or the authRule check of a sign-in by OAuth2, OTP or password.
 */
export const REQUEST_CONTEXTS = ['default', 'expand', 'realtime', 'protectedFile', 'batch', 'oauth2', 'otp', 'password'] as const;
export type RequestContext = (typeof REQUEST_CONTEXTS)[number];

export interface RequestInfo {
  auth: RequestAuth | null;
  /** Absent: `default`. */
  context?: RequestContext;
  method: string;
  query: Record<string, string>;
  /** Lower-cased names with `-` replaced by `_`, as PocketBase exposes them to rules. */
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export const anonymousRequest = (method = 'GET'): RequestInfo => ({
  auth: null,
  method,
  query: {},
  headers: {},
  body: {},
});

export const isSuperuser = (info: RequestInfo): boolean => info.auth?.isSuperuser === true;

/** A request's headers as rules see them, built on first use. */
export type HeadersLoader = () => Record<string, string>;

/** The accessor every lazy request info shares (set in the class's static block). */
let lazyHeaders: PropertyDescriptor;

/**
 * A RequestInfo whose `headers` are read on first use. The getter is one function shared by
 * every instance, so they all share one hidden class: an object literal with a `get headers()`
 * gives each object a getter of its own, hence a hidden class of its own (allocated in the old
 * generation), which kept each request's closures and objects alive through young collections
 * — most of a GET's garbage-collection time. `headers` stays an own enumerable property, so
 * `{ ...info }` copies the headers as it did with the literal's getter.
 */
class LazyHeadersInfo {
  #load: HeadersLoader;
  #headers: Record<string, string> | undefined;
  static {
    lazyHeaders = {
      enumerable: true,
      configurable: true,
      get(this: LazyHeadersInfo) {
        return (this.#headers ??= this.#load());
      },
    };
  }
  constructor(fields: Omit<RequestInfo, 'headers' | 'body'>, body: Record<string, unknown>, load: HeadersLoader) {
    this.#load = load;
    Object.assign(this, fields);
    Object.defineProperty(this, 'headers', lazyHeaders);
    (this as unknown as RequestInfo).body = body;
  }
}

/** A RequestInfo with `fields`, `headers` from `load` on first use (then kept), and `body`. */
export function lazyHeadersInfo(fields: Omit<RequestInfo, 'headers' | 'body'>, body: Record<string, unknown>, load: HeadersLoader): RequestInfo {
  return new LazyHeadersInfo(fields, body, load) as unknown as RequestInfo;
}

/**
 * The same request with another body (the one rules should see, e.g. after modifiers were
 * folded). Headers stay lazy: they are read from `info` only if a rule asks for them.
 */
export function withRequestBody(info: RequestInfo, body: Record<string, unknown>): RequestInfo {
  return lazyHeadersInfo({ auth: info.auth, context: info.context, method: info.method, query: info.query }, body, () => info.headers);
}

/** Parts of a client filter or sort only superusers may use (PocketBase's loose substring check). */
const SUPERUSER_ONLY_FILTER_PARTS = ['@collection.', '@request.'];

/** The first superuser-only part `text` mentions, if any. */
export function superuserOnlyPart(text: string | undefined): string | undefined {
  if (!text) return undefined;
  return SUPERUSER_ONLY_FILTER_PARTS.find((part) => text.includes(part));
}

/** The same request checked in another context (`@request.context`); headers stay lazy. */
export function inContext(info: RequestInfo, context: RequestContext): RequestInfo {
  if ((info.context ?? 'default') === context) return info;
  return lazyHeadersInfo({ auth: info.auth, context, method: info.method, query: info.query }, info.body, () => info.headers);
}
