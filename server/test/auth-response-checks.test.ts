/**
 * The checks PocketBase's `apis/record_helpers_test.go` makes on its auth response helper, where
 * they show over HTTP and no ported scenario covers them yet: the collection's authRule at
 * sign-in (TestRecordAuthResponseAuthRuleCheck) and the second MFA step's refusals
 * (TestRecordAuthResponseMFACheck: same method, missing, expired, another record's MFA session;
 * the first step, a different method and an unsatisfied MFA rule are in
 * pb/record_auth_with_password.test.ts). Over PocketBase's fixture (pb/auth-fixture.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scalar } from './engine-state.ts';
import { PASSWORD, startAuthFixture, type AuthFixture } from './pb/auth-fixture.ts';

let f: AuthFixture;
beforeAll(async () => {
  f = await startAuthFixture();
}, 120_000);
afterAll(() => f?.close());

const USER = '4q1xlclmfloku33';
const OTHER_USER = 'oap640cot4yru2s';
const mfaCount = async (recordId: string) => Number(await scalar(f.server.engine, 'SELECT count(*) AS n FROM "_mfas" WHERE "recordRef" = ?', [recordId]));
const sqlTime = (ms: number) => new Date(ms).toISOString().replace('T', ' ');
async function addMfa(id: string, recordId: string, method: string, createdMs = Date.now()): Promise<void> {
  await f.server.engine.run('INSERT INTO "_mfas" ("id", "collectionRef", "recordRef", "method", "created", "updated") VALUES (?, ?, ?, ?, ?, ?)', [
    id,
    '_pb_users_auth_',
    recordId,
    method,
    sqlTime(createdMs),
    sqlTime(createdMs),
  ]);
}
const signIn = (collection: string, body: Record<string, unknown>) => f.api('POST', `/api/collections/${collection}/auth-with-password`, body);

describe('TestRecordAuthResponseAuthRuleCheck (clients, a verified record)', () => {
  const cases: [string, string | null, number][] = [
    ['admin only rule', null, 403],
    ['empty rule', '', 200],
    ['false rule', '1=2', 403],
    ['true rule', '1=1', 200],
  ];
  for (const [name, rule, status] of cases) {
    it(name, async () => {
      await f.patchCollection('clients', { authRule: rule });
      try {
        const res = await signIn('clients', { identity: 'test@example.com', password: PASSWORD });
        expect(res.status, JSON.stringify(res.body)).toBe(status);
        if (status === 403) {
          expect(res.body).toMatchObject({ status: 403, data: {} });
          expect(JSON.stringify(res.body)).not.toContain('"token"');
        } else expect(typeof res.body.token).toBe('string');
      } finally {
        await f.patchCollection('clients', { authRule: 'verified=true' });
      }
    });
  }
});

describe('TestRecordAuthResponseMFACheck (users, MFA enabled)', () => {
  const clear = () => f.server.engine.run('DELETE FROM "_mfas"');

  it('no collection MFA enabled: a token, no MFA session', async () => {
    await clear();
    await f.patchCollection('users', { mfa: { enabled: false, duration: 1800, rule: '' } });
    try {
      const res = await signIn('users', { identity: 'test@example.com', password: PASSWORD });
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain('mfaId');
      expect(typeof res.body.token).toBe('string');
      expect(await mfaCount(USER)).toBe(0);
    } finally {
      await f.patchCollection('users', { mfa: { enabled: true, duration: 1800, rule: '' } });
    }
  });

  it('mfa second-time with the same auth method: 400, the session stays', async () => {
    await clear();
    await addMfa('samemethod00001', USER, 'password');
    const res = await signIn('users', { identity: 'test@example.com', password: PASSWORD, mfaId: 'samemethod00001' });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('A different authentication method is required.');
    expect(await mfaCount(USER)).toBe(1);
  });

  it('missing mfa: 400', async () => {
    await clear();
    const res = await signIn('users', { identity: 'test@example.com', password: PASSWORD, mfaId: 'missing' });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Invalid or expired MFA session.');
    expect(await mfaCount(USER)).toBe(0);
  });

  it('expired mfa: 400, and the expired session is deleted', async () => {
    await clear();
    await addMfa('expiredmfa00001', USER, 'otp', Date.now() - 3600_000);
    const res = await signIn('users', { identity: 'test@example.com', password: PASSWORD, mfaId: 'expiredmfa00001' });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Invalid or expired MFA session.');
    expect(await mfaCount(USER)).toBe(0);
  });

  it("mfa for a different auth record: 400, the other record's session stays", async () => {
    await clear();
    await addMfa('othersmfa000001', OTHER_USER, 'otp');
    const res = await signIn('users', { identity: 'test@example.com', password: PASSWORD, mfaId: 'othersmfa000001' });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Invalid MFA session.');
    expect(await mfaCount(USER)).toBe(0);
    expect(await mfaCount(OTHER_USER)).toBe(1);
  });
});
