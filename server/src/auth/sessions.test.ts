import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { quoteIdent } from '../db/index.ts';
import { AppError } from '../shared/errors.ts';
import { decodeJwtUnverified, signJwt } from './jwt.ts';
import { createSessionService, MAX_SESSIONS_PER_RECORD, SESSION_CACHE_TTL_MS, type SessionService } from './sessions.ts';
import { resolveAuth } from './auth-context.ts';
import type { AuthRecord } from './auth-records.ts';
import type { Collection } from '../collections/model.ts';
import {
  createAuthTable,
  createTestRegistry,
  insertAuthRecord,
  makeAuthCollection,
  openTestDb,
  type TestDb,
} from './test-fixtures.ts';

const WEEK = 7 * 24 * 3600;

describe('sessions', () => {
  let t: TestDb;
  let users: Collection;
  let supers: Collection;
  let registry: ReturnType<typeof createTestRegistry>;
  let now: number;
  let sessions: SessionService;
  let alice: AuthRecord;

  beforeEach(async () => {
    t = openTestDb();
    users = makeAuthCollection('users');
    supers = makeAuthCollection('_superusers');
    createAuthTable(t.db, users);
    createAuthTable(t.db, supers);
    registry = createTestRegistry([users, supers]);
    now = Date.parse('2025-01-01T00:00:00Z');
    sessions = createSessionService({ db: t.db, registry, clock: () => now });
    alice = await insertAuthRecord(t.db, users, { email: 'alice@example.com' });
  });
  afterEach(() => t.cleanup());

  const rotateKeyBehindTheServicesBack = (record: AuthRecord): void => {
    t.db.run(`UPDATE ${quoteIdent(users.name)} SET "tokenKey" = 'rotated-elsewhere' WHERE "id" = ?`, [record.id]);
  };

  it('issues a PocketBase-shaped token backed by a session row', () => {
    const token = sessions.issue(users, alice, { userAgent: 'vitest', ip: '10.0.0.1' });
    const claims = decodeJwtUnverified(token)!;
    expect(claims).toEqual({
      id: alice.id,
      collectionId: users.id,
      type: 'auth',
      sid: expect.any(String),
      exp: now / 1000 + WEEK,
      refreshable: true,
      jti: expect.stringMatching(/^[a-z0-9]{16}$/),
    });
    const auth = sessions.verify(token)!;
    expect(auth.record.id).toBe(alice.id);
    expect(auth.collection).toBe(users);
    expect(auth.session).toMatchObject({ id: claims.sid, recordId: alice.id, userAgent: 'vitest', ip: '10.0.0.1', expires: '2025-01-08 00:00:00.000Z' });
    expect(sessions.list(users.id, alice.id).map((s) => s.id)).toEqual([claims.sid]);
  });

  it('refreshes into a new token on the same session, then revocation kills both', () => {
    const token = sessions.issue(users, alice);
    expect(sessions.verify(token)).not.toBeNull(); // now cached
    now += 3600_000;
    const refreshed = sessions.refresh(token);
    expect(refreshed.token).not.toBe(token);
    const [a, b] = [decodeJwtUnverified(token)!, decodeJwtUnverified(refreshed.token)!];
    expect(b.sid).toBe(a.sid);
    expect(b.exp).toBe((a.exp as number) + 3600);
    expect(sessions.verify(refreshed.token)?.session.expires).toBe('2025-01-08 01:00:00.000Z');
    expect(sessions.revoke(a.sid as string)).toBe(true);
    expect(sessions.verify(token)).toBeNull();
    expect(sessions.verify(refreshed.token)).toBeNull();
    expect(sessions.revoke(a.sid as string)).toBe(false);
    expect(() => sessions.refresh(refreshed.token)).toThrow(AppError);
  });

  it('issues a distinct token on every refresh, even within the same second', () => {
    const token = sessions.issue(users, alice);
    const first = sessions.refresh(token).token;
    const second = sessions.refresh(token).token;
    expect(new Set([token, first, second]).size).toBe(3);
    expect(sessions.verify(second)).not.toBeNull();
  });

  it('refuses to refresh invalid tokens and gives non-refreshable ones back unchanged', () => {
    expect(() => sessions.refresh('garbage')).toThrow(expect.objectContaining({ code: 'unauthorized' }));
    const token = sessions.issue(users, alice, { refreshable: false });
    expect(sessions.verify(token)).not.toBeNull();
    expect(sessions.refresh(token).token).toBe(token);
  });

  it('rotating tokenKey kills every session at once, even cached ones and from another process', () => {
    const t1 = sessions.issue(users, alice);
    const t2 = sessions.issue(users, alice);
    expect(sessions.verify(t1)).not.toBeNull();
    expect(sessions.verify(t2)).not.toBeNull();
    rotateKeyBehindTheServicesBack(alice);
    expect(sessions.verify(t1)).toBeNull();
    expect(sessions.verify(t2)).toBeNull();

    const fresh = { ...alice, tokenKey: 'rotated-elsewhere' };
    const t3 = sessions.issue(users, fresh);
    expect(sessions.verify(t3)).not.toBeNull();
    const newKey = sessions.signOutEverywhere(users, alice.id);
    expect(newKey).toHaveLength(50);
    expect(sessions.verify(t3)).toBeNull();
    expect(sessions.list(users.id, alice.id)).toEqual([]);
  });

  it('revokeAll ends every session of a record but not of others', async () => {
    const bob = await insertAuthRecord(t.db, users, { email: 'bob@example.com' });
    const ta = sessions.issue(users, alice);
    const tb = sessions.issue(users, bob);
    sessions.verify(ta);
    expect(sessions.revokeAll(users.id, alice.id)).toBe(1);
    expect(sessions.verify(ta)).toBeNull();
    expect(sessions.verify(tb)?.record.id).toBe(bob.id);
  });

  it('expires with the token, even when cached', () => {
    const token = sessions.issue(users, alice, { duration: 60 });
    expect(sessions.verify(token)).not.toBeNull();
    now += 59_000;
    expect(sessions.verify(token)).not.toBeNull();
    now += 1_000;
    expect(sessions.verify(token)).toBeNull();
    expect(sessions.pruneExpired()).toBe(1);
  });

  it('honours a session deleted by another process for at most the cache TTL', () => {
    const token = sessions.issue(users, alice);
    sessions.verify(token);
    t.db.run('DELETE FROM "_sessions"');
    expect(sessions.verify(token)).not.toBeNull();
    now += SESSION_CACHE_TTL_MS;
    expect(sessions.verify(token)).toBeNull();
  });

  it('rejects forged, foreign and orphaned tokens', () => {
    const token = sessions.issue(users, alice);
    const claims = decodeJwtUnverified(token)!;
    // Right claims, signed with the collection secret alone (no tokenKey).
    expect(sessions.verify(signJwt(claims, users.auth!.tokenSecret!))).toBeNull();
    // Claims pointing at another collection.
    expect(sessions.verify(signJwt({ ...claims, collectionId: 'users' }, users.auth!.tokenSecret! + alice.tokenKey))).toBeNull();
    expect(sessions.verify(signJwt({ ...claims, type: 'file' }, users.auth!.tokenSecret! + alice.tokenKey))).toBeNull();
    // A session id that does not exist.
    expect(sessions.verify(signJwt({ ...claims, sid: 'nope' }, users.auth!.tokenSecret! + alice.tokenKey))).toBeNull();
    t.db.run(`DELETE FROM ${quoteIdent(users.name)} WHERE "id" = ?`, [alice.id]);
    expect(sessions.verify(token)).toBeNull();
    for (const bad of [undefined, '', 'x.y.z', 'a'.repeat(5000)]) expect(sessions.verify(bad)).toBeNull();
  });

  it('voids cached tokens when the schema changes (e.g. a new tokenSecret)', () => {
    const token = sessions.issue(users, alice);
    sessions.verify(token);
    users.auth!.tokenSecret = 'a-brand-new-secret';
    registry.bump();
    expect(sessions.verify(token)).toBeNull();
  });

  it(`keeps at most ${MAX_SESSIONS_PER_RECORD} sessions per record`, () => {
    const first = sessions.issue(users, alice);
    for (let i = 0; i < MAX_SESSIONS_PER_RECORD; i++) {
      now += 1000;
      sessions.issue(users, alice);
    }
    expect(sessions.list(users.id, alice.id)).toHaveLength(MAX_SESSIONS_PER_RECORD);
    expect(sessions.verify(first)).toBeNull();
  });

  it('resolves the Authorization header into an AuthContext', async () => {
    const token = sessions.issue(users, alice);
    const root = await insertAuthRecord(t.db, supers, { email: 'root@example.com' });
    const rootToken = sessions.issue(supers, root);
    expect(resolveAuth(sessions, undefined)).toEqual({ kind: 'anonymous' });
    expect(resolveAuth(sessions, 'Bearer not-a-token')).toEqual({ kind: 'anonymous' });
    const ctx = resolveAuth(sessions, token);
    expect(ctx).toMatchObject({ kind: 'record', isSuperuser: false, sessionId: decodeJwtUnverified(token)!.sid });
    expect(resolveAuth(sessions, `Bearer ${token}`)).toMatchObject({ kind: 'record', isSuperuser: false });
    expect(resolveAuth(sessions, `bearer  ${rootToken} `)).toMatchObject({ kind: 'record', isSuperuser: true });
  });
});
