/**
 * Per-collection auth behaviour over HTTP: identity fields, minimum password length, token
 * lifetime, authRule (null / "" / expression), manageRule, allowed email domains and
 * emailVisibility. Throttling is switched off here: it is not the subject (see auth-rate-limits).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scalar } from './engine-state.ts';
import { startServer, type TestServer } from './harness.ts';

let t: TestServer;
const PW = 'member password';

async function signIn(collection: string, identity: string, password = PW) {
  return t.api('POST', `/api/collections/${collection}/auth-with-password`, { identity, password });
}

const payload = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number; refreshable: boolean };

beforeAll(async () => {
  t = await startServer();
  await t.api('PATCH', '/api/settings', { rateLimits: { enabled: false } }, t.adminToken);
  const res = await t.api(
    'POST',
    '/api/collections',
    {
      name: 'members',
      type: 'auth',
      fields: [
        { name: 'username', type: 'text', required: true },
        { name: 'role', type: 'select', values: ['member', 'manager'], maxSelect: 1 },
        { name: 'password', type: 'password', min: 12 },
        { name: 'email', type: 'email', required: true, onlyDomains: ['acme.test'] },
      ],
      indexes: ['CREATE UNIQUE INDEX idx_members_username ON members (username)'],
      passwordAuth: { enabled: true, identityFields: ['email', 'username'] },
      authToken: { duration: 3600 },
      authRule: 'verified = true',
      manageRule: '@request.auth.role = "manager"',
      listRule: '@request.auth.id != ""',
      viewRule: '@request.auth.id != ""',
      createRule: '',
      updateRule: 'id = @request.auth.id || @request.auth.role = "manager"',
    },
    t.adminToken,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  for (const [username, role, verified, emailVisibility] of [['mia', 'manager', true, false], ['max', 'member', true, true], ['neo', 'member', false, false]] as const) {
    const r = await t.api('POST', '/api/collections/members/records', { username, role, verified, emailVisibility, email: `${username}@acme.test`, password: PW, passwordConfirm: PW }, t.adminToken);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }
});
afterAll(() => t.close());

describe('auth collection options', () => {
  it('sign-up enforces the minimum password length and the allowed email domains', async () => {
    const short = await t.api('POST', '/api/collections/members/records', { username: 'x1', email: 'x1@acme.test', password: 'short pass', passwordConfirm: 'short pass' });
    expect(short.status).toBe(400);
    expect(short.body.data.password.code).toBe('validation_min_text_constraint');
    const domain = await t.api('POST', '/api/collections/members/records', { username: 'x2', email: 'x2@gmail.com', password: PW, passwordConfirm: PW });
    expect(domain.status).toBe(400);
    expect(domain.body.data.email.code).toBe('validation_email_domain_not_allowed');
    const mismatch = await t.api('POST', '/api/collections/members/records', { username: 'x3', email: 'x3@acme.test', password: PW, passwordConfirm: PW + '!' });
    expect(mismatch.body.data.passwordConfirm.code).toBe('validation_values_mismatch');
  });

  it('signs in by any identity field, with the collection token lifetime', async () => {
    const byEmail = await signIn('members', 'MAX@acme.test');
    const byUsername = await signIn('members', 'max');
    expect(byEmail.status).toBe(200);
    expect(byUsername.body.record.id).toBe(byEmail.body.record.id);
    const { exp, refreshable } = payload(byEmail.body.token);
    expect(exp - Math.floor(Date.now() / 1000)).toBeGreaterThan(3500);
    expect(exp - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(3600);
    expect(refreshable).toBe(true);
  });

  it('authRule: an expression must match the record; null lets nobody in; "" everyone', async () => {
    const unverified = await signIn('members', 'neo');
    expect(unverified.status).toBe(403);
    expect(unverified.body.token).toBeUndefined();
    await t.api('PATCH', '/api/collections/members', { authRule: null }, t.adminToken);
    expect((await signIn('members', 'max')).status).toBe(403);
    await t.api('PATCH', '/api/collections/members', { authRule: '' }, t.adminToken);
    expect((await signIn('members', 'neo')).status).toBe(200);
    await t.api('PATCH', '/api/collections/members', { authRule: 'verified = true' }, t.adminToken);
  });

  it('authRule is checked again on refresh', async () => {
    const token = (await signIn('members', 'max')).body.token;
    await t.api('PATCH', '/api/collections/members', { authRule: 'role = "manager"' }, t.adminToken);
    expect((await t.api('POST', '/api/collections/members/auth-refresh', undefined, token)).status).toBe(403);
    await t.api('PATCH', '/api/collections/members', { authRule: 'verified = true' }, t.adminToken);
    expect((await t.api('POST', '/api/collections/members/auth-refresh', undefined, token)).status).toBe(200);
  });

  it('manageRule: managers edit email, verified and password of others without oldPassword; members cannot', async () => {
    const manager = (await signIn('members', 'mia')).body.token;
    const member = (await signIn('members', 'max')).body.token;
    const neo = (await t.api('GET', `/api/collections/members/records?filter=${encodeURIComponent('username = "neo"')}`, undefined, manager)).body.items[0];
    const asMember = await t.api('PATCH', `/api/collections/members/records/${neo.id}`, { verified: true }, member);
    expect(asMember.status).toBe(404); // the updateRule does not even admit the row
    const managed = await t.api('PATCH', `/api/collections/members/records/${neo.id}`, { verified: true, email: 'neo2@acme.test', password: 'managed password', passwordConfirm: 'managed password' }, manager);
    expect(managed.status, JSON.stringify(managed.body)).toBe(200);
    expect(managed.body.verified).toBe(true);
    expect(await scalar(t.server.engine, 'SELECT email FROM members WHERE id = ?', [neo.id])).toBe('neo2@acme.test');
    expect((await signIn('members', 'neo', 'managed password')).status).toBe(200);
    // A member on their own record: verified is ignored, email needs the mailed flow, password needs oldPassword.
    const me = (await signIn('members', 'max')).body.record;
    const self = await t.api('PATCH', `/api/collections/members/records/${me.id}`, { email: 'max2@acme.test' }, member);
    expect(self.status).toBe(400);
    expect(self.body.data.email.code).toBe('validation_values_mismatch');
    const pw = await t.api('PATCH', `/api/collections/members/records/${me.id}`, { password: 'another password', passwordConfirm: 'another password' }, member);
    // As PocketBase: a missing oldPassword is required, a wrong one invalid.
    expect(pw.body.data.oldPassword.code).toBe('validation_required');
    const wrong = await t.api('PATCH', `/api/collections/members/records/${me.id}`, { password: 'another password', passwordConfirm: 'another password', oldPassword: 'not it at all' }, member);
    expect(wrong.body.data.oldPassword.code).toBe('validation_invalid_old_password');
  });

  it('emailVisibility: other callers see an email only when its owner made it visible (or they manage it)', async () => {
    const max = (await signIn('members', 'max')).body;
    const list = await t.api('GET', '/api/collections/members/records?sort=username', undefined, max.token);
    const byName = Object.fromEntries(list.body.items.map((m: Record<string, unknown>) => [m.username, m]));
    expect(byName.max.email).toBe('max@acme.test'); // own record
    expect(byName.mia).not.toHaveProperty('email');
    expect(byName.neo).not.toHaveProperty('email');
    // A manager (manageRule) sees the emails of the records it manages, as in PocketBase.
    const mia = (await signIn('members', 'mia')).body;
    const managed = await t.api('GET', '/api/collections/members/records?sort=username', undefined, mia.token);
    const asManager = Object.fromEntries(managed.body.items.map((m: Record<string, unknown>) => [m.username, m]));
    expect(asManager.neo.email).toBe('neo2@acme.test');
    for (const m of list.body.items) {
      expect(m).not.toHaveProperty('password');
      expect(m).not.toHaveProperty('tokenKey');
    }
    // ...and cannot probe hidden addresses with a filter either.
    const probe = await t.api('GET', `/api/collections/members/records?filter=${encodeURIComponent('email = "neo2@acme.test"')}`, undefined, mia.token);
    expect(probe.body.items).toHaveLength(0);
  });
});
