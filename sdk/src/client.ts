/**
 * createClient: wires the transport, the session (auth store + automatic refresh), the per-name
 * cached services and the lazily opened realtime connection. The only place that builds them.
 */
import { AuthService } from './auth/auth-service.ts';
import { AuthSession, type AuthChangeListener } from './auth/auth-session.ts';
import { memoryStore, type AuthState, type AuthStore } from './auth/auth-store.ts';
import type { ClientCore } from './core.ts';
import { filter } from './filter.ts';
import { RealtimeConnection, type RealtimeOptions } from './realtime/connection.ts';
import { realtimeUrl } from './realtime/protocol.ts';
import { Batch } from './services/batch.ts';
import type { ThumbOf } from './types/records.ts';
import { RecordService } from './services/record-service.ts';
import { CollectionsService } from './services/collections-service.ts';
import { SettingsService } from './services/settings-service.ts';
import { InstallService } from './services/install-service.ts';
import { joinUrl } from './transport/query-string.ts';
import { createTransport, type RequestOptions, type SendOptions } from './transport/send.ts';
import type { AnyRecord, AuthCollectionName, AuthFields, CollectionName, DefaultSchema, SystemFields } from './types/records.ts';

export interface ClientOptions {
  /** Where the session lives (default: memory). See `localStorageStore()` and `AuthStore`. */
  authStore?: AuthStore;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
  /** Default request timeout in ms (default 30 000; 0 = none). */
  timeout?: number;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** Refresh the token this many seconds before it expires (default 300); false disables. */
  autoRefresh?: false | { before: number };
  realtime?: RealtimeOptions;
}

/** The record type of an auth collection, also for `_superusers` when the Schema omits it. */
type AuthRecordOf<S, K extends string> = K extends keyof S ? S[K] : SystemFields<K> & AuthFields & { created: string; updated: string };

export interface HearthClient<S = DefaultSchema> {
  readonly url: string;
  /** Records of one collection (the same service for the same name). */
  collection<K extends CollectionName<S>>(name: K): RecordService<S[K], K>;
  /** Sign-in and account flows of one auth collection. */
  auth<K extends AuthCollectionName<S> | '_superusers'>(name: K): AuthService<AuthRecordOf<S, K>>;
  /** Collection definitions (superusers). */
  readonly collections: CollectionsService;
  /** Runtime settings (superusers). */
  readonly settings: SettingsService;
  /** First-run superuser creation. */
  readonly install: InstallService;
  /** A transaction of record writes across collections. */
  batch(): Batch<S>;
  /** The safe filter template tag (also exported on its own). */
  filter: typeof filter;
  /** The current token ('' when signed out). */
  readonly token: string;
  /** The signed-in record, or null. */
  readonly authRecord: AnyRecord | null;
  /** A token is present and not yet expired. */
  readonly isSignedIn: boolean;
  /** Called on sign-in, refresh, sign-out (and changes from other tabs); returns an unsubscribe. */
  onAuthChange(listener: AuthChangeListener): () => void;
  /** Resolves once a saved session has been loaded from the auth store. */
  ready(): Promise<void>;
  /** The realtime connection (opened by the first subscription). */
  readonly realtime: RealtimeConnection;
  /** A raw API call with the client's auth, timeout and error handling. */
  send<T = unknown>(path: string, options?: SendOptions): Promise<T>;
  health(options?: RequestOptions): Promise<{ status: number; message: string; data: Record<string, unknown> }>;
  /** The URL of a stored file (`thumb` like `100x100`; `token` for protected files). */
  fileUrl<F extends string>(record: { collectionId: string; id: string }, filename: F, options?: FileUrlOptions<ThumbOf<F>>): string;
  /** The same as fileUrl, under PocketBase's name (`download: true` asks for an attachment). */
  getFileUrl<F extends string>(record: { collectionId: string; id: string }, filename: F, options?: FileUrlOptions<ThumbOf<F>>): string;
  /** Closes the realtime connection and stops the refresh timer. */
  close(): void;
}

export interface FileUrlOptions<Thumb extends string = string> {
  /**
   * A thumb size the field lists (`100x100`, `300x0`, `70x50t`, …); others serve the original.
   * With generated types, only the sizes of that file's field (and `100x100`) type-check.
   */
  thumb?: Thumb;
  /** A file token (POST /api/files/token) for protected files. */
  token?: string;
  /** Serve as an attachment (`?download=1`). */
  download?: boolean;
}

/** Five minutes: enough for slow networks, small against the default 7-day token lifetime. */
const DEFAULT_REFRESH_BEFORE = 300;
const DEFAULT_TIMEOUT = 30_000;

export function createClient<S = DefaultSchema>(url: string, options: ClientOptions = {}): HearthClient<S> {
  const baseUrl = url.replace(/\/+$/, '');
  const transport = createTransport({
    baseUrl,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeout: options.timeout ?? DEFAULT_TIMEOUT,
    headers: options.headers ?? {},
  });
  const session = new AuthSession({
    store: options.authStore ?? memoryStore(),
    refreshBefore: options.autoRefresh === false ? false : (options.autoRefresh?.before ?? DEFAULT_REFRESH_BEFORE),
    refresh: (collection, token) =>
      transport<AuthState>(`/api/collections/${encodeURIComponent(collection)}/auth-refresh`, { method: 'POST', token }),
  });
  let realtime: RealtimeConnection | null = null;
  const core: ClientCore = {
    session,
    send: async (path, o = {}) => transport(path, { ...o, token: o.token !== undefined ? o.token : await session.requestToken() }),
    realtime: () => (realtime ??= new RealtimeConnection(realtimeUrl(baseUrl), session, options.realtime)),
    baseUrl,
    WebSocket: options.realtime?.WebSocket,
  };
  const collections = new Map<string, RecordService<unknown, string>>();
  const auths = new Map<string, AuthService<unknown>>();

  return {
    url: baseUrl,
    collection: (name) => {
      let service = collections.get(name);
      if (!service) collections.set(name, (service = new RecordService(core, name)));
      return service as never;
    },
    auth: (name) => {
      let service = auths.get(name);
      if (!service) auths.set(name, (service = new AuthService(core, name)));
      return service as never;
    },
    collections: new CollectionsService(core),
    settings: new SettingsService(core),
    install: new InstallService(core),
    batch: () => new Batch<S>(core),
    filter,
    get token() {
      return session.token;
    },
    get authRecord() {
      return session.record;
    },
    get isSignedIn() {
      return session.isValid;
    },
    onAuthChange: (listener) => session.onChange(listener),
    ready: () => session.ready(),
    get realtime() {
      return core.realtime();
    },
    send: (path, o) => core.send(path, o),
    health: (o = {}) => core.send('/api/health', o),
    fileUrl: (record, filename, o = {}) => fileUrl(baseUrl, record, filename, o),
    getFileUrl: (record, filename, o = {}) => fileUrl(baseUrl, record, filename, o),
    close: () => {
      realtime?.close();
      session.dispose();
    },
  };
}

function fileUrl(baseUrl: string, record: { collectionId: string; id: string }, filename: string, o: FileUrlOptions): string {
  if (!record?.id || !filename) return '';
  const path = `/api/files/${encodeURIComponent(record.collectionId)}/${encodeURIComponent(record.id)}/${encodeURIComponent(filename)}`;
  const params = new URLSearchParams();
  if (o.thumb) params.set('thumb', o.thumb);
  if (o.token) params.set('token', o.token);
  if (o.download) params.set('download', '1');
  const query = params.toString();
  return joinUrl(baseUrl, path) + (query ? `?${query}` : '');
}
