/**
 * A bounded LRU of verified tokens, so a hot request path skips the HMAC and the session query.
 * Entries are indexed by record, so revoking a session or rotating a tokenKey can drop every
 * cached token of that record at once. What a hit still re-checks is decided by sessions.ts.
 */
import type { SessionRow } from './session-store.ts';

export interface CachedToken {
  collectionId: string;
  recordId: string;
  /** The tokenKey the signature was verified with; a hit is void if the record's key changed. */
  tokenKey: string;
  session: SessionRow;
  /** min(token exp, session expires), in ms. */
  expiresAtMs: number;
  cachedAtMs: number;
  /** Registry version at verification: a schema change (e.g. a new tokenSecret) voids the entry. */
  registryVersion: number;
  /** The auth record as last read, and the table's write mark taken just before that read (db/write-marks.ts). */
  record?: Record<string, unknown> & { id: string };
  recordMark?: string | null;
}

export interface SessionCache {
  /** The entry if present, unexpired and younger than the TTL; bumps it to most-recent. */
  get(token: string, nowMs: number): CachedToken | undefined;
  set(token: string, entry: CachedToken): void;
  delete(token: string): void;
  /** Drops every cached token of one record. */
  forgetRecord(collectionId: string, recordId: string): void;
  clear(): void;
  readonly size: number;
}

const recordKey = (collectionId: string, recordId: string): string => `${collectionId}/${recordId}`;

export function createSessionCache(options: { maxEntries: number; ttlMs: number }): SessionCache {
  const entries = new Map<string, CachedToken>();
  const byRecord = new Map<string, Set<string>>();

  const remove = (token: string): void => {
    const entry = entries.get(token);
    if (!entry) return;
    entries.delete(token);
    const key = recordKey(entry.collectionId, entry.recordId);
    const tokens = byRecord.get(key);
    tokens?.delete(token);
    if (tokens && tokens.size === 0) byRecord.delete(key);
  };

  return {
    get(token, nowMs) {
      const entry = entries.get(token);
      if (!entry) return undefined;
      if (nowMs >= entry.expiresAtMs || nowMs - entry.cachedAtMs >= options.ttlMs) {
        remove(token);
        return undefined;
      }
      entries.delete(token);
      entries.set(token, entry);
      return entry;
    },
    set(token, entry) {
      if (options.maxEntries <= 0) return;
      remove(token);
      while (entries.size >= options.maxEntries) {
        const oldest = entries.keys().next().value as string;
        remove(oldest);
      }
      entries.set(token, entry);
      const key = recordKey(entry.collectionId, entry.recordId);
      let tokens = byRecord.get(key);
      if (!tokens) byRecord.set(key, (tokens = new Set()));
      tokens.add(token);
    },
    delete: remove,
    forgetRecord(collectionId, recordId) {
      const tokens = byRecord.get(recordKey(collectionId, recordId));
      if (!tokens) return;
      for (const token of [...tokens]) remove(token);
    },
    clear() {
      entries.clear();
      byRecord.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
