/**
 * The client's current session: the token and auth record (written through to the AuthStore),
 * change callbacks, and automatic refresh shortly before `exp` — on a timer and before each
 * request — with at most one refresh in flight (concurrent callers await the same promise).
 */
import { HearthError } from '../errors.ts';
import { Listeners } from '../listeners.ts';
import type { AnyRecord } from '../types/records.ts';
import type { AuthState, AuthStore } from './auth-store.ts';
import { decodeTokenPayload, isTokenValid, tokenExpiry } from './jwt.ts';

export type AuthChangeListener = (state: AuthState | null) => void;

/** Calls `POST /api/collections/{collection}/auth-refresh` with `token`. */
export type RefreshCall = (collection: string, token: string) => Promise<AuthState>;

export interface AuthSessionOptions {
  store: AuthStore;
  /** Refresh when fewer than this many seconds are left; false disables automatic refresh. */
  refreshBefore: number | false;
  refresh: RefreshCall;
}

/** setTimeout's ceiling (≈24.8 days); longer waits are re-armed when they fire. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class AuthSession {
  #options: AuthSessionOptions;
  #state: AuthState | null = null;
  #listeners = new Listeners<AuthState | null>();
  #loaded: Promise<void>;
  #refreshing: Promise<AuthState> | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: AuthSessionOptions) {
    this.#options = options;
    this.#loaded = Promise.resolve(options.store.load()).then((state) => {
      if (this.#state === null && state) this.#apply(state);
    });
    options.store.watch?.((state) => this.#apply(state));
  }

  get token(): string {
    return this.#state?.token ?? '';
  }

  get record(): AnyRecord | null {
    return this.#state?.record ?? null;
  }

  /** A token is present and not expired (not verified: only the server can do that). */
  get isValid(): boolean {
    return isTokenValid(this.token);
  }

  /** Resolves once the store's saved session has been loaded. */
  ready(): Promise<void> {
    return this.#loaded;
  }

  onChange(listener: AuthChangeListener): () => void {
    return this.#listeners.add(listener);
  }

  /** Replaces the session (null signs out), saves it to the store and notifies listeners. */
  async set(state: AuthState | null): Promise<void> {
    this.#apply(state);
    await this.#options.store.save(state);
  }

  /** The token to send with a request, refreshed first when it is about to expire. */
  async requestToken(): Promise<string> {
    await this.#loaded;
    if (this.#shouldRefresh()) await this.refresh().catch(() => undefined);
    return this.token;
  }

  /**
   * Exchanges the current token for a new one. Concurrent calls share one request. A 401/403/404
   * answer means the session is gone (revoked, expired, record deleted): the store is cleared.
   */
  refresh(collection?: string): Promise<AuthState> {
    this.#refreshing ??= this.#doRefresh(collection).finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async #doRefresh(collection: string | undefined): Promise<AuthState> {
    await this.#loaded;
    const token = this.token;
    const target = collection ?? this.#collectionOfToken();
    if (!token || !target) throw new HearthError({ status: 401, message: 'Not signed in.' });
    try {
      const next = await this.#options.refresh(target, token);
      if (this.token === token) await this.set(next);
      return next;
    } catch (err) {
      if (err instanceof HearthError && [401, 403, 404].includes(err.status) && this.token === token) await this.set(null);
      throw err;
    }
  }

  #collectionOfToken(): string | undefined {
    const name = this.record?.collectionName;
    if (typeof name === 'string' && name) return name;
    const id = decodeTokenPayload(this.token)?.collectionId;
    return typeof id === 'string' ? id : undefined;
  }

  #msUntilRefresh(): number | null {
    const before = this.#options.refreshBefore;
    if (before === false || !this.token) return null;
    const payload = decodeTokenPayload(this.token);
    const exp = tokenExpiry(this.token);
    if (!payload || exp === null || payload.refreshable === false) return null;
    if (exp <= Date.now()) return null; // expired: only signing in again helps
    return exp - before * 1000 - Date.now();
  }

  #shouldRefresh(): boolean {
    const ms = this.#msUntilRefresh();
    return ms !== null && ms <= 0;
  }

  #apply(state: AuthState | null): void {
    const changed = state?.token !== this.#state?.token || state?.record !== this.#state?.record;
    this.#state = state && state.token ? { token: state.token, record: state.record ?? null } : null;
    this.#schedule();
    if (!changed) return;
    this.#listeners.emit(this.#state);
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const ms = this.#msUntilRefresh();
    // Already inside the window (or the window exceeds the token's lifetime): the next request
    // refreshes; a timer here would refresh in a loop.
    if (ms === null || ms <= 0) return;
    this.#timer = setTimeout(
      () => {
        if (this.#shouldRefresh()) this.refresh().catch(() => undefined);
        else this.#schedule();
      },
      Math.min(ms, MAX_TIMER_MS),
    );
    (this.#timer as { unref?: () => void }).unref?.();
  }

  /** Stops the refresh timer (call when discarding the client). */
  dispose(): void {
    clearTimeout(this.#timer);
  }
}
