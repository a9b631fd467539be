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
    sessions = createSessionService({ engine: t.engine, db: t.db, registry, clock: () => now });
    alice = await insertAuthRecord(t.db, users, { email: 'alice@example.com' });
  });
  afterEach(() => t.cleanup());

  const rotateKeyBehindTheServicesBack = (record: AuthRecord): void => {
    t.db.run(`UPDATE ${quoteIdent(users.name)} SET "tokenKey" = 'rotated-elsewhere' WHERE "id" = ?`, [record.id]);
  };

  it('issues a PocketBase-shaped token backed by a session row', async () => {
    const token = await sessions.issue(users, alice, { userAgent: 'vitest', ip: '10.0.0.1' });
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
    const auth = (await sessions.verify(token))!;
    expect(auth.record.id).toBe(alice.id);
    expect(auth.collection).toBe(users);
    expect(auth.session).toMatchObject({ id: claims.sid, recordId: alice.id, userAgent: 'vitest', ip: '10.0.0.1', expires: '2025-01-08 00:00:00.000Z' });
    expect((await sessions.list(users.id, alice.id)).map((s) => s.id)).toEqual([claims.sid]);
  });

  it('refreshes into a new token on the same session, then revocation kills both', async () => {
    const token = await sessions.issue(users, alice);
    expect(await sessions.verify(token)).not.toBeNull(); // now cached
    now += 3600_000;
    const refreshed = await sessions.refresh(token);
    expect(refreshed.token).not.toBe(token);
    const [a, b] = [decodeJwtUnverified(token)!, decodeJwtUnverified(refreshed.token)!];
    expect(b.sid).toBe(a.sid);
    expect(b.exp).toBe((a.exp as number) + 3600);
    expect((await sessions.verify(refreshed.token))?.session.expires).toBe('2025-01-08 01:00:00.000Z');
    expect(await sessions.revoke(a.sid as string)).toBe(true);
    expect(await sessions.verify(token)).toBeNull();
    expect(await sessions.verify(refreshed.token)).toBeNull();
    expect(await sessions.revoke(a.sid as string)).toBe(false);
    await expect(sessions.refresh(refreshed.token)).rejects.toThrow(AppError);
  });

  it('issues a distinct token on every refresh, even within the same second', async () => {
    const token = await sessions.issue(users, alice);
    const first = (await sessions.refresh(token)).token;
    const second = (await sessions.refresh(token)).token;
    expect(new Set([token, first, second]).size).toBe(3);
    expect(await sessions.verify(second)).not.toBeNull();
  });

  it('refuses to refresh invalid tokens and gives non-refreshable ones back unchanged', async () => {
    await expect(sessions.refresh('garbage')).rejects.toThrow(expect.objectContaining({ code: 'unauthorized' }));
    const token = await sessions.issue(users, alice, { refreshable: false });
    expect(await sessions.verify(token)).not.toBeNull();
    expect((await sessions.refresh(token)).token).toBe(token);
  });

  it('rotating tokenKey kills every session at once, even cached ones and from another process', async () => {
    const t1 = await sessions.issue(users, alice);
    const t2 = await sessions.issue(users, alice);
    expect(await sessions.verify(t1)).not.toBeNull();
    expect(await sessions.verify(t2)).not.toBeNull();
    rotateKeyBehindTheServicesBack(alice);
    expect(await sessions.verify(t1)).toBeNull();
    expect(await sessions.verify(t2)).toBeNull();

    const fresh = { ...alice, tokenKey: 'rotated-elsewhere' };
    const t3 = await sessions.issue(users, fresh);
    expect(await sessions.verify(t3)).not.toBeNull();
    const newKey = await sessions.signOutEverywhere(users, alice.id);
    expect(newKey).toHaveLength(50);
    expect(await sessions.verify(t3)).toBeNull();
    expect(await sessions.list(users.id, alice.id)).toEqual([]);
  });

  it('revokeAll ends every session of a record but not of others', async () => {
    const bob = await insertAuthRecord(t.db, users, { email: 'bob@example.com' });
    const ta = await sessions.issue(users, alice);
    const tb = await sessions.issue(users, bob);
    await sessions.verify(ta);
    expect(await sessions.revokeAll(users.id, alice.id)).toBe(1);
    expect(await sessions.verify(ta)).toBeNull();
    expect((await sessions.verify(tb))?.record.id).toBe(bob.id);
  });

  it('expires with the token, even when cached', async () => {
    const token = await sessions.issue(users, alice, { duration: 60 });
    expect(await sessions.verify(token)).not.toBeNull();
    now += 59_000;
    expect(await sessions.verify(token)).not.toBeNull();
    now += 1_000;
    expect(await sessions.verify(token)).toBeNull();
    expect(await sessions.pruneExpired()).toBe(1);
  });

  it('honours a session deleted by another process for at most the cache TTL', async () => {
    const token = await sessions.issue(users, alice);
    await sessions.verify(token);
    t.db.run('DELETE FROM "_sessions"');
    expect(await sessions.verify(token)).not.toBeNull();
    now += SESSION_CACHE_TTL_MS;
    expect(await sessions.verify(token)).toBeNull();
  });

  it('rejects forged, foreign and orphaned tokens', async () => {
    const token = await sessions.issue(users, alice);
    const claims = decodeJwtUnverified(token)!;
    // Right claims, signed with the collection secret alone (no tokenKey).
    expect(await sessions.verify(signJwt(claims, users.auth!.tokenSecret!))).toBeNull();
    // Claims pointing at another collection.
    expect(await sessions.verify(signJwt({ ...claims, collectionId: 'users' }, users.auth!.tokenSecret! + alice.tokenKey))).toBeNull();
    expect(await sessions.verify(signJwt({ ...claims, type: 'file' }, users.auth!.tokenSecret! + alice.tokenKey))).toBeNull();
    // A session id that does not exist.
    expect(await sessions.verify(signJwt({ ...claims, sid: 'nope' }, users.auth!.tokenSecret! + alice.tokenKey))).toBeNull();
    t.db.run(`DELETE FROM ${quoteIdent(users.name)} WHERE "id" = ?`, [alice.id]);
    expect(await sessions.verify(token)).toBeNull();
    for (const bad of [undefined, '', 'x.y.z', 'a'.repeat(5000)]) expect(await sessions.verify(bad)).toBeNull();
  });

  it('voids cached tokens when the schema changes (e.g. a new tokenSecret)', async () => {
    const token = await sessions.issue(users, alice);
    await sessions.verify(token);
    users.auth!.tokenSecret = 'a-brand-new-secret';
    registry.bump();
    expect(await sessions.verify(token)).toBeNull();
  });

  it(`keeps at most ${MAX_SESSIONS_PER_RECORD} sessions per record`, async () => {
    const first = await sessions.issue(users, alice);
    for (let i = 0; i < MAX_SESSIONS_PER_RECORD; i++) {
      now += 1000;
      await sessions.issue(users, alice);
    }
    expect(await sessions.list(users.id, alice.id)).toHaveLength(MAX_SESSIONS_PER_RECORD);
    expect(await sessions.verify(first)).toBeNull();
  });

  it('resolves the Authorization header into an AuthContext', async () => {
    const token = await sessions.issue(users, alice);
    const root = await insertAuthRecord(t.db, supers, { email: 'root@example.com' });
    const rootToken = await sessions.issue(supers, root);
    expect(await resolveAuth(sessions, undefined)).toEqual({ kind: 'anonymous' });
    expect(await resolveAuth(sessions, 'Bearer not-a-token')).toEqual({ kind: 'anonymous' });
    const ctx = await resolveAuth(sessions, token);
    expect(ctx).toMatchObject({ kind: 'record', isSuperuser: false, sessionId: decodeJwtUnverified(token)!.sid });
    expect(await resolveAuth(sessions, `Bearer ${token}`)).toMatchObject({ kind: 'record', isSuperuser: false });
    expect(await resolveAuth(sessions, `bearer  ${rootToken} `)).toMatchObject({ kind: 'record', isSuperuser: true });
  });

  it('verifySync gives the same answers as verify, from the same cache and rows', async () => {
    const token = await sessions.issue(users, alice);
    expect(sessions.verifySync(token)).toEqual(await sessions.verify(token));
    expect(sessions.verifySync(token)?.record.id).toBe(alice.id);
    rotateKeyBehindTheServicesBack(alice);
    expect(sessions.verifySync(token)).toBeNull();
    expect(await sessions.verify(token)).toBeNull();
    for (const bad of [undefined, '', 'x.y.z']) expect(sessions.verifySync(bad)).toBeNull();
  });
});
