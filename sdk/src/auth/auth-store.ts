/**
 * Auth stores: where the token and auth record live between page loads. The client keeps the
 * current state in memory and writes through to the store; a store may be async (IndexedDB,
 * secure storage, a cookie API) and may report changes made elsewhere (another browser tab).
 */
import type { AnyRecord } from '../types/records.ts';

export interface AuthState<R = AnyRecord> {
  token: string;
  record: R | null;
}

export interface AuthStore {
  load(): AuthState | null | Promise<AuthState | null>;
  save(state: AuthState | null): void | Promise<void>;
  /** Optional: report changes made outside this client (e.g. another tab); returns an unsubscribe. */
  watch?(onExternalChange: (state: AuthState | null) => void): () => void;
}

/** Keeps the session only in memory (the default; Node scripts, SSR). */
export function memoryStore(initial: AuthState | null = null): AuthStore {
  let state = initial;
  return {
    load: () => state,
    save: (next) => {
      state = next;
    },
  };
}

function parseState(raw: string | null): AuthState | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<AuthState>;
    return typeof v.token === 'string' && v.token ? { token: v.token, record: v.record ?? null } : null;
  } catch {
    return null;
  }
}

/**
 * Persists the session in `localStorage` under `key` and follows sign-in/sign-out in other tabs
 * through the `storage` event. Falls back to memory where localStorage is unavailable.
 */
export function localStorageStore(key = 'hearth_auth'): AuthStore {
  const storage = typeof localStorage === 'undefined' ? null : localStorage;
  if (!storage) return memoryStore();
  return {
    load: () => parseState(storage.getItem(key)),
    save: (state) => {
      if (state) storage.setItem(key, JSON.stringify(state));
      else storage.removeItem(key);
    },
    watch(onExternalChange) {
      if (typeof addEventListener !== 'function') return () => {};
      const listener = (e: StorageEvent) => {
        if (e.key === key || e.key === null) onExternalChange(parseState(e.newValue));
      };
      addEventListener('storage', listener);
      return () => removeEventListener('storage', listener);
    },
  };
}
