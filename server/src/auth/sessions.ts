/**
 * Sessions and the auth tokens that point at them. A token is valid only while (1) its HS256
 * signature checks out with `tokenSecret + the record's current tokenKey`, (2) its `_sessions`
 * row exists and is unexpired, and (3) its own `exp` has not passed.
 *
 * Verified tokens are cached (bounded LRU) to spare the HMAC and the session query. Revocation
 * stays immediate because:
 *  - every hit checks the record row (rules must see fresh `@request.auth.*` data) and is void if
 *    its tokenKey differs from the one verified — so a rotation takes effect at once, even when
 *    done by another process (the CLI). On SQLite the row is kept with the entry and re-read only
 *    when its table's write mark moved (db/write-marks.ts: a write to the table by this process,
 *    DDL, or a commit by any other connection), which is exactly when it may have changed; for
 *    requests, other connections' commits are those before the event-loop turn's first check
 *    (one `PRAGMA data_version` per turn, shared with the schema check), realtime reads it anew;
 *  - revoke()/revokeAll()/signOutEverywhere() drop the record's cached tokens in this process;
 *  - entries live at most SESSION_CACHE_TTL_MS, which bounds how long a session row deleted by
 *    another process can still be honoured here;
 *  - with `sharedRevocation` (several workers or machines on one database) a hit also checks that
 *    its session row still exists, so a sign-out on any of them ends the session on all at once.
 */
import { quoteIdent, runSteps, runStepsSync, turnDataVersion, type SqlDb, type SqlEngine, type Steps } from '../db/index.ts';
import type { Collection } from '../collections/model.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import { AppError, unauthorized } from '../shared/errors.ts';
import { formatDate } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import { decodeJwtUnverified, MAX_JWT_LENGTH, signJwt, verifyJwt } from './jwt.ts';
import { newTokenKey, parseAuthClaims, signingKey, type AuthTokenClaims } from './tokens.ts';
import { authRecordById, findAuthCollection, type AuthRecord } from './auth-records.ts';
import { createSessionStore, sessionById, touchSession, type SessionRow } from './session-store.ts';
import { createSessionCache, type CachedToken } from './session-cache.ts';

/** SPEC §7: 7 days, used when a collection does not set `authToken.duration`. */
export const DEFAULT_TOKEN_DURATION_SECONDS = 7 * 24 * 60 * 60;
/** ~1 KB per entry: 10k active tokens cost ~10 MB at most. */
export const DEFAULT_SESSION_CACHE_SIZE = 10_000;
/** Upper bound on honouring a session another process deleted; also how often lastUsed is written. */
export const SESSION_CACHE_TTL_MS = 60_000;
/** Each login adds a row; beyond this the least recently used sessions of the record are dropped. */
export const MAX_SESSIONS_PER_RECORD = 100;

export interface VerifiedAuth {
  collection: Collection;
  /** The raw row, `password` and `tokenKey` included: serialise before sending. */
  record: AuthRecord;
  session: SessionRow;
}

export interface IssueOptions {
  userAgent?: string;
  ip?: string;
  /** false for tokens that auth-refresh must refuse (e.g. impersonation). Default true. */
  refreshable?: boolean;
  /** Seconds; defaults to the collection's `authToken.duration`. */
  duration?: number;
}

export interface SessionService {
  /** Creates a session row and returns its signed token. */
  issue(collection: Collection, record: AuthRecord, options?: IssueOptions): Promise<string>;
  /** The caller behind a token, or null for any invalid, expired or revoked token. Never throws on bad input. */
  verify(token: unknown): Promise<VerifiedAuth | null>;
  /**
   * `verify` in one turn, over the synchronous interface: for the realtime hub, which checks
   * tokens while it handles a message. The same checks and the same cache.
   */
  verifySync(token: unknown): VerifiedAuth | null;
  /**
   * A new token for the same session with a fresh expiry; 401 if invalid. A non-refreshable
   * token (impersonation) comes back unchanged, as in PocketBase: its lifetime is never extended.
   */
  refresh(token: unknown): Promise<VerifiedAuth & { token: string }>;
  revoke(sessionId: string): Promise<boolean>;
  revokeAll(collectionId: string, recordId: string): Promise<number>;
  /** The record's unexpired sessions, most recently used first. */
  list(collectionId: string, recordId: string): Promise<SessionRow[]>;
  /** Rotates the record's tokenKey and deletes its sessions. Returns the new tokenKey. */
  signOutEverywhere(collection: Collection, recordId: string): Promise<string>;
  /** Drops cached tokens of a record (call after updating or deleting it; optional, see header). */
  forgetRecord(collectionId: string, recordId: string): void;
  /** Deletes every expired session row; for a periodic job. */
  pruneExpired(): Promise<number>;
}

export interface SessionServiceDeps {
  engine: SqlEngine;
  /** The synchronous interface on the same database, for `verifySync` (SQLite; absent on PostgreSQL, where `verify` is the way). */
  db?: SqlDb;
  registry: CollectionRegistry;
  /** Milliseconds since the epoch; injectable for tests. */
  clock?: () => number;
  cacheSize?: number;
  /** Re-check the session row on every cache hit (one primary-key read): revocations by other processes apply at once. */
  sharedRevocation?: boolean;
}

const toMs = (date: string): number => Date.parse(date.replace(' ', 'T'));

function tokenDuration(collection: Collection, override: number | undefined): number {
  const duration = override ?? collection.auth?.authToken?.duration ?? DEFAULT_TOKEN_DURATION_SECONDS;
  if (!Number.isInteger(duration) || duration <= 0) throw new AppError('internal', 'Invalid auth token duration.');
  return duration;
}

function keyFor(collection: Collection, record: AuthRecord): string {
  const key = signingKey(collection, record.tokenKey);
  if (!key) throw new AppError('internal', `Collection "${collection.name}" cannot sign tokens (missing tokenSecret or tokenKey).`);
  return key;
}

export function createSessionService(deps: SessionServiceDeps): SessionService {
  const { engine, registry } = deps;
  const clock = deps.clock ?? Date.now;
  const store = createSessionStore(engine);
  const cache = createSessionCache({ maxEntries: deps.cacheSize ?? DEFAULT_SESSION_CACHE_SIZE, ttlMs: SESSION_CACHE_TTL_MS });

  // A random `jti` makes every issued token distinct, even two refreshes within the same second.
  const sign = (claims: AuthTokenClaims, key: string): string => signJwt({ ...claims, jti: newId(16) }, key);

  /**
   * The table's write mark, taken before a read of it: null when a row read now may not be kept.
   * `perTurn` (requests): other connections' commits as of the turn's first check
   * (`turnDataVersion`, shared with the schema's staleness check); else read now (realtime, which
   * checks tokens while it delivers a change it may have just read from another process).
   */
  const markOf = (collection: Collection, perTurn: boolean): string | null => {
    const db = deps.db;
    if (engine.kind !== 'sqlite' || !db) return null;
    return perTurn ? db.writeMark(collection.name, turnDataVersion(db)) : db.writeMark(collection.name);
  };

  /** The record row: the one kept with the entry while its table's mark has not moved, else read (and kept). */
  function* cachedRecord(collection: Collection, hit: CachedToken, perTurn: boolean): Steps<AuthRecord | undefined> {
    const mark = markOf(collection, perTurn);
    if (mark !== null && hit.record && hit.recordMark === mark) return { ...hit.record };
    const record = yield* authRecordById(collection, hit.recordId);
    hit.record = record && { ...record };
    hit.recordMark = mark;
    return record;
  }

  function* fromCache(token: string, nowMs: number, perTurn: boolean): Steps<VerifiedAuth | null> {
    const hit = cache.get(token, nowMs);
    if (!hit) return null;
    if (hit.registryVersion === registry.version && (!deps.sharedRevocation || (yield* sessionById(hit.session.id)))) {
      const collection = findAuthCollection(registry, hit.collectionId);
      const record = collection && (yield* cachedRecord(collection, hit, perTurn));
      if (collection && record && record.tokenKey === hit.tokenKey) return { collection, record, session: hit.session };
    }
    cache.delete(token);
    return null;
  }

  function* verifyFully(token: string, nowMs: number, perTurn: boolean): Steps<VerifiedAuth | null> {
    const unverified = parseAuthClaims(decodeJwtUnverified(token));
    if (!unverified) return null;
    const collection = findAuthCollection(registry, unverified.collectionId);
    if (!collection || collection.id !== unverified.collectionId) return null;
    const recordMark = markOf(collection, perTurn);
    const record = yield* authRecordById(collection, unverified.id);
    const key = record && signingKey(collection, record.tokenKey);
    if (!record || !key) return null;
    const claims = parseAuthClaims(verifyJwt(token, key, nowMs / 1000));
    if (!claims) return null;
    const session = yield* sessionById(claims.sid);
    if (!session || session.collectionId !== collection.id || session.recordId !== record.id) return null;
    const sessionExpiresMs = toMs(session.expires);
    if (!(nowMs < sessionExpiresMs)) return null;
    const lastUsed = formatDate(new Date(nowMs));
    yield* touchSession(session.id, lastUsed);
    const fresh = { ...session, lastUsed };
    cache.set(token, {
      collectionId: collection.id,
      recordId: record.id,
      tokenKey: String(record.tokenKey),
      session: fresh,
      expiresAtMs: Math.min(claims.exp * 1000, sessionExpiresMs),
      cachedAtMs: nowMs,
      registryVersion: registry.version,
      record: { ...record },
      recordMark,
    });
    return { collection, record, session: fresh };
  }

  function* verifying(token: string, perTurn: boolean): Steps<VerifiedAuth | null> {
    const nowMs = clock();
    return (yield* fromCache(token, nowMs, perTurn)) ?? (yield* verifyFully(token, nowMs, perTurn));
  }

  const wellFormed = (token: unknown): token is string => typeof token === 'string' && token !== '' && token.length <= MAX_JWT_LENGTH;

  async function verify(token: unknown): Promise<VerifiedAuth | null> {
    return wellFormed(token) ? runSteps(verifying(token, true), engine) : null;
  }

  async function revokeAll(collectionId: string, recordId: string): Promise<number> {
    const n = await store.deleteForRecord(collectionId, recordId);
    cache.forgetRecord(collectionId, recordId);
    return n;
  }

  return {
    async issue(collection, record, options = {}) {
      if (collection.type !== 'auth') throw new AppError('bad_request', 'Only auth collection records can sign in.');
      const key = keyFor(collection, record);
      const nowMs = clock();
      const exp = Math.floor(nowMs / 1000) + tokenDuration(collection, options.duration);
      const nowDate = formatDate(new Date(nowMs));
      const session = await engine.transaction(async (tx) => {
        const inTx = createSessionStore(tx);
        if ((await inTx.trimForRecord(collection.id, record.id, nowDate, MAX_SESSIONS_PER_RECORD - 1)) > 0) {
          cache.forgetRecord(collection.id, record.id);
        }
        return inTx.insert({
          id: newId(),
          collectionId: collection.id,
          recordId: record.id,
          created: nowDate,
          expires: formatDate(new Date(exp * 1000)),
          lastUsed: nowDate,
          userAgent: options.userAgent,
          ip: options.ip,
        });
      });
      const refreshable = options.refreshable ?? true;
      return sign({ id: record.id, collectionId: collection.id, type: 'auth', sid: session.id, exp, refreshable }, key);
    },

    verify,

    verifySync(token) {
      if (!deps.db) throw new Error('verifySync needs the synchronous db (SQLite); use verify');
      return wellFormed(token) ? runStepsSync(verifying(token, false), deps.db) : null;
    },

    async refresh(token) {
      const auth = await verify(token);
      if (!auth) throw unauthorized();
      const claims = parseAuthClaims(decodeJwtUnverified(token));
      if (!claims) throw unauthorized();
      if (!claims.refreshable) return { ...auth, token: token as string };
      const nowMs = clock();
      const exp = Math.floor(nowMs / 1000) + tokenDuration(auth.collection, undefined);
      const expires = formatDate(new Date(exp * 1000));
      const lastUsed = formatDate(new Date(nowMs));
      // The session may have been revoked between verify and here.
      if (!(await store.extend(claims.sid, expires, lastUsed))) throw unauthorized();
      const next = sign({ ...claims, exp }, keyFor(auth.collection, auth.record));
      return { ...auth, session: { ...auth.session, expires, lastUsed }, token: next };
    },

    async revoke(sessionId) {
      const row = await store.delete(sessionId);
      if (row) cache.forgetRecord(row.collectionId, row.recordId);
      return row !== undefined;
    },

    revokeAll,

    async list(collectionId, recordId) {
      const nowMs = clock();
      return (await store.listForRecord(collectionId, recordId)).filter((s) => nowMs < toMs(s.expires));
    },

    async signOutEverywhere(collection, recordId) {
      const tokenKey = newTokenKey();
      await engine.transaction(async (tx) => {
        await tx.run(`UPDATE ${quoteIdent(collection.name)} SET "tokenKey" = ? WHERE "id" = ?`, [tokenKey, recordId]);
        await createSessionStore(tx).deleteForRecord(collection.id, recordId);
      });
      cache.forgetRecord(collection.id, recordId);
      return tokenKey;
    },

    forgetRecord: (collectionId, recordId) => cache.forgetRecord(collectionId, recordId),

    pruneExpired: () => store.deleteExpired(formatDate(new Date(clock()))),
  };
}
