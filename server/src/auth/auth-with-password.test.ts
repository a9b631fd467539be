import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { quoteIdent } from '../db/index.ts';
import { AppError, forbidden } from '../shared/errors.ts';
import type { Collection } from '../collections/model.ts';
import { createPasswordAuth, type PasswordAuth } from './auth-with-password.ts';
import { createSessionService, type SessionService } from './sessions.ts';
import { createRateLimiter, DEFAULT_AUTH_RATE_LIMITS, RateLimitedError, type RateLimiter } from './rate-limit.ts';
import { createAuthTable, createTestRegistry, FAST_SCRYPT, insertAuthRecord, makeAuthCollection, openTestDb, type TestDb } from './test-fixtures.ts';

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected a rejection');
}

const wire = (err: AppError) => ({ code: err.code, message: err.message, data: err.data, name: err.name });

describe('authWithPassword', () => {
  let t: TestDb;
  let users: Collection;
  let sessions: SessionService;
  let limiter: RateLimiter;
  let auth: PasswordAuth;
  let registry: ReturnType<typeof createTestRegistry>;

  const build = (extra: Partial<Parameters<typeof createPasswordAuth>[0]> = {}): PasswordAuth =>
    createPasswordAuth({ db: t.engine, registry, sessions, rateLimiter: limiter, passwordParams: FAST_SCRYPT, ...extra });

  beforeEach(async () => {
    t = openTestDb();
    users = makeAuthCollection('users', ['email', 'username']);
    const posts = { ...makeAuthCollection('posts'), type: 'base' as const };
    createAuthTable(t.db, users);
    registry = createTestRegistry([users, posts]);
    sessions = createSessionService({ engine: t.engine, db: t.db, registry });
    limiter = createRateLimiter();
    auth = build();
    await insertAuthRecord(t.db, users, { email: 'Alice@Example.com', password: 'correct horse', username: 'alice' });
  });
  afterEach(() => t.cleanup());

  it('returns a working token and the raw record; email matches case-insensitively', async () => {
    const meta = { ip: '10.0.0.1', userAgent: 'vitest' };
    const result = await auth.authWithPassword('users', 'alice@example.COM', 'correct horse', meta);
    expect(result.record.email).toBe('Alice@Example.com');
    expect(result.collection).toBe(users);
    const verified = (await sessions.verify(result.token))!;
    expect(verified.record.id).toBe(result.record.id);
    expect(verified.session).toMatchObject({ ip: '10.0.0.1', userAgent: 'vitest' });
    const byUsername = await auth.authWithPassword(users.id, 'alice', 'correct horse');
    expect(byUsername.record.id).toBe(result.record.id);
  });

  it('fails identically for an unknown identity, a wrong password and a password-less account', async () => {
    await insertAuthRecord(t.db, users, { email: 'oauth-only@example.com' });
    const unknown = await failure(auth.authWithPassword('users', 'nobody@example.com', 'correct horse'));
    const wrong = await failure(auth.authWithPassword('users', 'alice@example.com', 'wrong horse'));
    const noPassword = await failure(auth.authWithPassword('users', 'oauth-only@example.com', 'anything'));
    expect(wire(unknown)).toEqual({ code: 'bad_request', message: 'Failed to authenticate.', data: {}, name: 'AppError' });
    expect(wire(wrong)).toEqual(wire(unknown));
    expect(wire(noPassword)).toEqual(wire(unknown));
    // Username matching is exact, like PocketBase.
    expect(wire(await failure(auth.authWithPassword('users', 'ALICE', 'correct horse')))).toEqual(wire(unknown));
  });

  it('validates input and the collection', async () => {
    const missing = await failure(auth.authWithPassword('users', '', undefined));
    expect(missing.code).toBe('validation');
    expect(missing.data).toEqual({
      identity: { code: 'validation_required', message: 'Cannot be blank.' },
      password: { code: 'validation_required', message: 'Cannot be blank.' },
    });
    expect((await failure(auth.authWithPassword('users', 'a', 'x'.repeat(256)))).data).toHaveProperty('password');
    expect((await failure(auth.authWithPassword('nope', 'a', 'b'))).code).toBe('not_found');
    expect((await failure(auth.authWithPassword('posts', 'a', 'b'))).code).toBe('not_found');
    users.auth!.passwordAuth.enabled = false;
    expect((await failure(auth.authWithPassword('users', 'alice', 'correct horse'))).message).toMatch(/not configured/);
  });

  it('throttles one address against one account without locking the owner out elsewhere', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await failure(auth.authWithPassword('users', 'alice@example.com', 'guess' + i, { ip: '10.0.0.1' }))).code).toBe('bad_request');
    }
    const limited = await failure(auth.authWithPassword('users', 'ALICE@example.com', 'correct horse', { ip: '10.0.0.1' }));
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).retryAfterSeconds).toBeGreaterThan(0);
    // The owner, from another address, is not locked out; the same address may try other accounts.
    expect((await auth.authWithPassword('users', 'alice@example.com', 'correct horse', { ip: '10.9.9.9' })).token).toBeTruthy();
    await insertAuthRecord(t.db, users, { email: 'bob@example.com', password: 'bob password' });
    expect((await auth.authWithPassword('users', 'bob@example.com', 'bob password', { ip: '10.0.0.1' })).token).toBeTruthy();
  });

  it('caps guesses against one account from many addresses, and one address across accounts', async () => {
    const rules = { ...DEFAULT_AUTH_RATE_LIMITS, 'auth-with-password:identity': { limit: 3, windowSeconds: 3600 } };
    const capped = build({ rateLimiter: createRateLimiter({ rules }) });
    for (let i = 0; i < 3; i++) await failure(capped.authWithPassword('users', 'alice', 'guess', { ip: `10.1.0.${i}` }));
    expect(await failure(capped.authWithPassword('users', 'alice', 'correct horse', { ip: '10.1.0.99' }))).toBeInstanceOf(RateLimitedError);

    const perIp = build({ rateLimiter: createRateLimiter({ rules: { ...DEFAULT_AUTH_RATE_LIMITS, 'auth-with-password:ip': { limit: 2, windowSeconds: 60 } } }) });
    await perIp.authWithPassword('users', 'alice', 'correct horse', { ip: '1.1.1.1' });
    await failure(perIp.authWithPassword('users', 'x@example.com', 'p', { ip: '1.1.1.1' }));
    expect(await failure(perIp.authWithPassword('users', 'alice', 'correct horse', { ip: '1.1.1.1' }))).toBeInstanceOf(RateLimitedError);
    expect((await perIp.authWithPassword('users', 'alice', 'correct horse', { ip: '2.2.2.2' })).token).toBeTruthy();
  });

  it('upgrades outdated hashes after a successful login', async () => {
    const stronger = build({ passwordParams: { N: 2 ** 11, r: 8, p: 1 } });
    const { record } = await stronger.authWithPassword('users', 'alice', 'correct horse');
    const stored = t.db.get<{ password: string }>(`SELECT "password" FROM ${quoteIdent('users')} WHERE "id" = ?`, [record.id])!;
    expect(stored.password.startsWith('scrypt$2048$')).toBe(true);
    expect((await stronger.authWithPassword('users', 'alice', 'correct horse')).token).toBeTruthy();
  });

  it('lets beforeIssue refuse before any session exists', async () => {
    const guarded = build({ beforeIssue: () => { throw forbidden('Not allowed by authRule.'); } });
    expect((await failure(guarded.authWithPassword('users', 'alice', 'correct horse'))).code).toBe('forbidden');
    expect(t.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM "_sessions"')!.n).toBe(0);
  });
});
