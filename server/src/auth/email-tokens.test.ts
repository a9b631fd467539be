import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Collection } from '../collections/model.ts';
import { createEmailTokens, hashToken, type EmailTokens } from './email-tokens.ts';
import { createAuthTable, createTestRegistry, insertAuthRecord, makeAuthCollection, openTestDb, type TestDb } from './test-fixtures.ts';
import type { AuthRecord } from './auth-records.ts';

describe('email link tokens', () => {
  let t: TestDb;
  let users: Collection;
  let other: Collection;
  let tokens: EmailTokens;
  let record: AuthRecord;
  let now = 1_700_000_000_000;

  beforeEach(async () => {
    t = openTestDb();
    users = makeAuthCollection('users');
    other = makeAuthCollection('members');
    createAuthTable(t.db, users);
    createAuthTable(t.db, other);
    tokens = createEmailTokens({ db: t.engine, registry: createTestRegistry([users, other]), clock: () => now });
    record = await insertAuthRecord(t.db, users, { email: 'a@example.com' });
  });
  afterEach(() => t.cleanup());

  it('verify, then consume exactly once; only the hash is stored', async () => {
    const token = await tokens.issue(users, record, 'passwordReset');
    const stored = t.db.pluck<string>('SELECT "hash" FROM "_authTokens"');
    expect(stored).toEqual([hashToken(token)]);
    expect(JSON.stringify(t.db.all('SELECT * FROM "_authTokens"'))).not.toContain(token);
    const verified = (await tokens.verify(users, token, 'passwordReset'))!;
    expect(verified.record.id).toBe(record.id);
    expect(verified.claims).toMatchObject({ id: record.id, collectionId: users.id, type: 'passwordReset', email: 'a@example.com' });
    expect(await tokens.consume(verified)).toBe(true);
    expect(await tokens.consume(verified)).toBe(false);
    expect(await tokens.verify(users, token, 'passwordReset')).toBeNull();
  });

  it('refuse another type, another collection, tampering, expiry and a rotated tokenKey', async () => {
    const token = await tokens.issue(users, record, 'verification');
    expect(await tokens.verify(users, token, 'passwordReset')).toBeNull();
    expect(await tokens.verify(other, token, 'verification')).toBeNull();
    expect(await tokens.verify(users, token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA'), 'verification')).toBeNull();
    expect(await tokens.verify(users, 42, 'verification')).toBeNull();
    now += 259_200_000 + 1000;
    expect(await tokens.verify(users, token, 'verification')).toBeNull();
    now -= 259_200_000 + 1000;
    expect(await tokens.verify(users, token, 'verification')).not.toBeNull();
    t.db.run('UPDATE users SET "tokenKey" = ? WHERE id = ?', ['rotated'.padEnd(50, 'x'), record.id]);
    expect(await tokens.verify(users, token, 'verification')).toBeNull();
  });

  it('a newer link of the same type replaces the older one', async () => {
    const first = await tokens.issue(users, record, 'emailChange', { newEmail: 'b@example.com' });
    now += 1000;
    const second = await tokens.issue(users, record, 'emailChange', { newEmail: 'c@example.com' });
    expect(await tokens.verify(users, first, 'emailChange')).toBeNull();
    expect((await tokens.verify(users, second, 'emailChange'))!.claims.newEmail).toBe('c@example.com');
    await tokens.forgetRecord(users.id, record.id);
    expect(await tokens.verify(users, second, 'emailChange')).toBeNull();
  });
});
