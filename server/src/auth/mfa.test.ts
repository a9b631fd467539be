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
  const message = (fn: () => unknown): string => {
    try {
      fn();
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
    mfa = createMfa({ db: t.db, registry: createTestRegistry([users]), clock: () => now });
    ann = await insertAuthRecord(t.db, users, { email: 'ann@example.com', username: 'ann' });
    bob = await insertAuthRecord(t.db, users, { email: 'bob@example.com', username: 'bob' });
  });
  afterEach(() => t.cleanup());

  it('first factor opens a session; a different second factor closes it, once', () => {
    const id = mfa.check(users, ann, 'password', undefined, info)!;
    expect(id).toMatch(/^[a-z0-9]{15}$/);
    expect(message(() => mfa.check(users, ann, 'password', id, info))).toBe('A different authentication method is required.');
    expect(message(() => mfa.check(users, bob, 'otp', id, info))).toBe('Invalid MFA session.');
    expect(mfa.check(users, ann, 'otp', id, info)).toBeNull();
    expect(message(() => mfa.check(users, ann, 'otp', id, info))).toBe('Invalid or expired MFA session.');
  });

  it('expires after mfa.duration', () => {
    const id = mfa.check(users, ann, 'password', undefined, info)!;
    now += 600_000;
    expect(message(() => mfa.check(users, ann, 'otp', id, info))).toBe('Invalid or expired MFA session.');
  });

  it('applies only where mfa.rule matches, and not at all when disabled', () => {
    users.auth!.mfa = { enabled: true, rule: 'username = "bob"' };
    expect(mfa.check(users, ann, 'password', undefined, info)).toBeNull();
    expect(mfa.check(users, bob, 'password', undefined, info)).not.toBeNull();
    users.auth!.mfa = { enabled: false };
    expect(mfa.check(users, bob, 'password', undefined, info)).toBeNull();
  });
});
