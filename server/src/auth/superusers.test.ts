import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Collection } from '../collections/model.ts';
import { AppError } from '../shared/errors.ts';
import { deleteSuperuser, upsertSuperuser } from './superusers.ts';
import { createSessionService } from './sessions.ts';
import { createPasswordAuth } from './auth-with-password.ts';
import { createRateLimiter } from './rate-limit.ts';
import { verifyPassword } from './password.ts';
import type { AuthRecord } from './auth-records.ts';
import { createAuthTable, createTestRegistry, FAST_SCRYPT, makeAuthCollection, openTestDb, type TestDb } from './test-fixtures.ts';

const opts = { passwordParams: FAST_SCRYPT };

describe('superusers', () => {
  let t: TestDb;
  let supers: Collection;
  let registry: ReturnType<typeof createTestRegistry>;
  const row = (id: string) => t.db.get<AuthRecord>('SELECT * FROM "_superusers" WHERE "id" = ?', [id])!;

  beforeEach(() => {
    t = openTestDb();
    supers = makeAuthCollection('_superusers');
    createAuthTable(t.db, supers);
    registry = createTestRegistry([supers]);
  });
  afterEach(() => t.cleanup());

  it('creates, then updates the password and kills old sessions', async () => {
    const created = await upsertSuperuser(t.db, registry, ' Root@Example.com ', 'first-password', opts);
    expect(created.created).toBe(true);
    const first = row(created.id);
    expect(first).toMatchObject({ email: 'Root@Example.com', verified: 1 });
    expect(first.tokenKey).toHaveLength(50);
    expect(await verifyPassword('first-password', first.password)).toBe(true);

    const sessions = createSessionService({ engine: t.engine, db: t.db, registry });
    const login = createPasswordAuth({ db: t.engine, registry, sessions, rateLimiter: createRateLimiter(), passwordParams: FAST_SCRYPT });
    const { token } = await login.authWithPassword('_superusers', 'root@example.com', 'first-password');
    expect(await sessions.verify(token)).not.toBeNull(); // cached from here on

    const updated = await upsertSuperuser(t.db, registry, 'ROOT@example.com', 'second-password', opts);
    expect(updated).toEqual({ id: created.id, created: false });
    const second = row(created.id);
    expect(second.tokenKey).not.toBe(first.tokenKey);
    expect(await verifyPassword('second-password', second.password)).toBe(true);
    expect(await sessions.verify(token)).toBeNull();
    expect(t.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM "_sessions"')!.n).toBe(0);
    await expect(login.authWithPassword('_superusers', 'root@example.com', 'first-password')).rejects.toThrow('Failed to authenticate.');
    expect((await login.authWithPassword('_superusers', 'root@example.com', 'second-password')).record.id).toBe(created.id);
  });

  it('validates email and password length with field errors', async () => {
    try {
      await upsertSuperuser(t.db, registry, 'not-an-email', 'short', opts);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({
        code: 'validation',
        data: {
          email: { code: 'validation_is_email' },
          password: { code: 'validation_min_text_constraint', message: 'Must be at least 8 character(s).' },
        },
      });
    }
    await expect(upsertSuperuser(t.db, registry, 'ok@example.com', '1234567', opts)).rejects.toMatchObject({ data: { password: expect.anything() } });
    expect((await upsertSuperuser(t.db, registry, 'ok@example.com', '12345678', opts)).created).toBe(true);
  });

  it('deletes by email, but never the last superuser', async () => {
    await upsertSuperuser(t.db, registry, 'a@example.com', 'password-a', opts);
    const b = await upsertSuperuser(t.db, registry, 'b@example.com', 'password-b', opts);
    expect(deleteSuperuser(t.db, registry, 'missing@example.com')).toBe(false);
    expect(deleteSuperuser(t.db, registry, 'A@EXAMPLE.COM')).toBe(true);
    expect(() => deleteSuperuser(t.db, registry, 'b@example.com')).toThrow("You can't delete the only existing superuser.");
    expect(row(b.id)).toBeDefined();
  });

  it('reports a data dir without the _superusers collection', async () => {
    const empty = createTestRegistry([]);
    await expect(upsertSuperuser(t.db, empty, 'a@example.com', 'password-a', opts)).rejects.toMatchObject({ code: 'internal' });
  });
});
