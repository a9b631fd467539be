import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Collection } from '../collections/model.ts';
import { anonymousRequest } from '../rules/index.ts';
import { AppError } from '../shared/errors.ts';
import { createMfa, type Mfa } from './mfa.ts';
import type { AuthRecord } from './auth-records.ts';
import { createAuthTable, createTestRegistry, insertAuthRecord, makeAuthCollection, openTestDb, type TestDb } from './test-fixtures.ts';

describe('MFA sessions', () => {
  let t: TestDb;
  let users: Collection;
  let mfa: Mfa;
  let ann: AuthRecord;
  let bob: AuthRecord;
  let now = 1_700_000_000_000;
  const info = anonymousRequest('POST');
  const message = async (fn: () => Promise<unknown>): Promise<string> => {
    try {
      await fn();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      return (err as AppError).message;
    }
    throw new Error('expected a refusal');
  };

  beforeEach(async () => {
    t = openTestDb();
    users = makeAuthCollection('users');
    users.auth!.mfa = { enabled: true, duration: 600, rule: '' };
    createAuthTable(t.db, users);
    mfa = createMfa({ db: t.engine, registry: createTestRegistry([users]), clock: () => now });
    ann = await insertAuthRecord(t.db, users, { email: 'ann@example.com', username: 'ann' });
    bob = await insertAuthRecord(t.db, users, { email: 'bob@example.com', username: 'bob' });
  });
  afterEach(() => t.cleanup());

  it('first factor opens a session; a different second factor closes it, once', async () => {
    const id = (await mfa.check(users, ann, 'password', undefined, info))!;
    expect(id).toMatch(/^[a-z0-9]{15}$/);
    expect(await message(() => mfa.check(users, ann, 'password', id, info))).toBe('A different authentication method is required.');
    expect(await message(() => mfa.check(users, bob, 'otp', id, info))).toBe('Invalid MFA session.');
    expect(await mfa.check(users, ann, 'otp', id, info)).toBeNull();
    expect(await message(() => mfa.check(users, ann, 'otp', id, info))).toBe('Invalid or expired MFA session.');
  });

  it('expires after mfa.duration', async () => {
    const id = (await mfa.check(users, ann, 'password', undefined, info))!;
    now += 600_000;
    expect(await message(() => mfa.check(users, ann, 'otp', id, info))).toBe('Invalid or expired MFA session.');
  });

  it('applies only where mfa.rule matches, and not at all when disabled', async () => {
    users.auth!.mfa = { enabled: true, rule: 'username = "bob"' };
    expect(await mfa.check(users, ann, 'password', undefined, info)).toBeNull();
    expect(await mfa.check(users, bob, 'password', undefined, info)).not.toBeNull();
    users.auth!.mfa = { enabled: false };
    expect(await mfa.check(users, bob, 'password', undefined, info)).toBeNull();
  });
});
