/**
 * A subscription: which records (collection, optional record id, optional client filter), how to
 * render them (expand, fields), and how the protocol frames a change. Its access condition —
 * listRule for a collection, viewRule for a single record, as PocketBase does — and its filter are
 * compiled for the connection's caller and cached until the schema or the caller changes. As
 * PocketBase, a filter (or sort) that mentions `@request.` or `@collection.` matches nothing
 * unless the caller is a superuser.
 */
import type { Collection } from '../collections/model.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import type { SqlFragment } from '../query/resolver.ts';
import { authorize, compileExpression, superuserOnlyPart, type Access, type RequestInfo } from '../rules/index.ts';
import type { RecordAction } from '../shared/events.ts';
import type { Caller } from './caller.ts';
import { intern } from './intern.ts';

/** What a subscription needs of its connection (connection.ts implements it). */
export interface SubscriptionOwner {
  readonly id: string;
  readonly protocol: 'ws' | 'sse';
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly caller: Caller;
  readonly callerVersion: number;
  readonly closed: boolean;
  readonly subs: Map<string, Subscription>;
  /** Text, or shared read-only UTF-8 bytes (connection.ts `Frame`). */
  send(frame: string | Uint8Array): void;
  /** Holds writes until uncork() when the transport can; true when this call corked it. */
  cork(): boolean;
  uncork(): void;
  close(code: number, reason: string): void;
  room(): Promise<void>;
}

export interface SubscriptionSpec {
  /** WS: the client's subscription id; SSE: the topic string exactly as subscribed. */
  id: string;
  collectionId: string;
  recordId?: string;
  filter?: string;
  expand?: string;
  fields?: string;
  /** `@request.query.*` / `@request.headers.*` seen by rules (SSE `options`); default the connection's. */
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

/** Frames one delivered change for the wire; `record` is already JSON. */
export type ChangeEncoder = (sub: Subscription, action: RecordAction, seq: number, record: string) => string;

/** How the protocol frames changes and hears about a subscription's trouble. */
export interface SubscriptionHooks {
  encode: ChangeEncoder;
  /** `since` is no longer retained (or the feed lost entries): the client must refetch. */
  onResync?: (sub: Subscription) => void;
  /** The subscription broke later (its filter stopped compiling, its collection was deleted) and was dropped. */
  onError?: (sub: Subscription, err: unknown) => void;
}

export interface Compiled {
  access: Access;
  filter: SqlFragment | null;
}

/** Matches no record (filed nowhere by the index). */
const NEVER: Compiled = { access: { kind: 'superusers_only' }, filter: null };

/** A compiled condition and what it was compiled for (one object: it is kept per subscription). */
interface CachedCompiled extends Compiled {
  collection: Collection;
  callerVersion: number;
}

/**
 * The rule's access of a connection's caller, shared by the connection's subscriptions that use
 * its own query and headers (a socket with 10 subscriptions compiles and keeps its rule once).
 */
const accessOf = new WeakMap<SubscriptionOwner, Map<string, { collection: Collection; callerVersion: number; access: Access }>>();

export class Subscription {
  readonly id: string;
  readonly conn: SubscriptionOwner;
  readonly collectionId: string;
  readonly recordId: string | undefined;
  readonly filter: string | undefined;
  readonly expand: string | undefined;
  readonly fields: string | undefined;
  readonly hooks: SubscriptionHooks;
  /** Changes with seq ≤ lastSeq were already replayed or are older than the subscription. */
  lastSeq = 0;
  /** `@request.` / `@collection.` if the filter or sort uses one: then only a superuser's subscription matches. */
  readonly superuserOnly: string | undefined;
  /** False while `since` is being replayed: live fan-out skips it, the replay reads the log instead. */
  live = true;
  removed = false;
  private readonly query: Record<string, string>;
  private readonly headers: Record<string, string>;
  private cache: CachedCompiled | null = null;

  constructor(conn: SubscriptionOwner, spec: SubscriptionSpec, hooks: SubscriptionHooks) {
    this.conn = conn;
    this.id = spec.id;
    this.collectionId = spec.collectionId;
    this.recordId = spec.recordId || undefined;
    this.filter = spec.filter?.trim() || undefined;
    this.expand = spec.expand?.trim() || undefined;
    this.fields = spec.fields?.trim() || undefined;
    this.query = spec.query ?? conn.query;
    this.headers = spec.headers ?? conn.headers;
    this.hooks = hooks;
    this.superuserOnly = superuserOnlyPart(this.filter) ?? superuserOnlyPart(this.query.sort);
  }

  info(): RequestInfo {
    return { auth: this.conn.caller.auth, context: 'realtime', method: 'GET', query: this.query, headers: this.headers, body: {} };
  }

  /**
   * Subscriptions with equal keys render a record identically: the same hidden-field access,
   * the same "own record" email rule (auth collections only) and the same expand/fields.
   */
  renderKey(collection: Collection): string {
    const auth = this.conn.caller.auth;
    const who = auth?.isSuperuser ? 'su' : collection.type === 'auth' ? this.conn.caller.key : auth ? 'user' : 'anon';
    if (!this.expand) return `${who}|${this.fields ?? ''}`;
    // Expanded relations follow their own rules, so they depend on the exact caller and request.
    return `${this.conn.caller.key}|${who}|${this.fields ?? ''}|${this.expand}|${JSON.stringify(this.query)}|${JSON.stringify(this.headers)}`;
  }

  /** Throws a 400 AppError when the filter does not compile for this collection. */
  compile(registry: CollectionRegistry, collection: Collection): Compiled {
    const c = this.cache;
    const callerVersion = this.conn.callerVersion;
    if (c && c.collection === collection && c.callerVersion === callerVersion) return c.access === NEVER.access ? NEVER : c;
    const info = this.info();
    const rule = this.recordId ? 'viewRule' : 'listRule';
    if (this.superuserOnly && info.auth?.isSuperuser !== true) {
      this.cache = { collection, callerVersion, access: NEVER.access, filter: null };
      return NEVER;
    }
    const compiledFilter = this.filter ? compileExpression(this.filter, { registry, collection, alias: 't', info, trusted: false }) : null;
    // Kept per subscription: its SQL text is shared with every filter of the same shape.
    const filter = compiledFilter && { sql: intern(compiledFilter.sql), params: compiledFilter.params };
    const compiled: CachedCompiled = { collection, callerVersion, access: this.sharedAccess(registry, collection, rule, info), filter };
    this.cache = compiled;
    return compiled;
  }

  private sharedAccess(registry: CollectionRegistry, collection: Collection, rule: 'viewRule' | 'listRule', info: RequestInfo): Access {
    if (this.query !== this.conn.query || this.headers !== this.conn.headers) return authorize({ registry, collection, rule, info });
    let byRule = accessOf.get(this.conn);
    if (!byRule) accessOf.set(this.conn, (byRule = new Map()));
    const key = `${collection.id}\u0000${rule}`;
    const hit = byRule.get(key);
    if (hit && hit.collection === collection && hit.callerVersion === this.conn.callerVersion) return hit.access;
    const access = authorize({ registry, collection, rule, info });
    byRule.set(key, { collection, callerVersion: this.conn.callerVersion, access });
    return access;
  }
}
