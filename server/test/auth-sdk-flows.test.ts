/**
 * Auth flows through the official PocketBase SDK, unchanged, against a real Hearth server with
 * a real SMTP server (mails are read from its inbox) and a real OpenID Connect provider.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import PocketBase, { ClientResponseError } from 'pocketbase';
import { startServer, type TestServer } from './harness.ts';
import { linkToken, otpCode, startOidcProvider, startSmtp, type Inbox, type OidcProvider } from './auth-helpers.ts';

let t: TestServer;
let inbox: Inbox;
let oidc: OidcProvider;
let admin: PocketBase;
const PASSWORD = 'first password 1';

const client = (): PocketBase => {
  const pb = new PocketBase(t.url);
  pb.autoCancellation(false);
  return pb;
};

async function rejection(promise: Promise<unknown>): Promise<ClientResponseError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ClientResponseError);
    return err as ClientResponseError;
  }
  throw new Error('expected the request to fail');
}

const mailTo = (address: string, subject: string) => (m: { to: string[]; subject: string }) =>
  m.to.includes(address) && m.subject.includes(subject);

async function signUp(email: string, extra: Record<string, unknown> = {}) {
  return client().collection('users').create({ email, password: PASSWORD, passwordConfirm: PASSWORD, ...extra });
}

beforeAll(async () => {
  inbox = await startSmtp();
  oidc = await startOidcProvider({
    carol: { email: 'carol@example.com', email_verified: true, name: 'Carol' },
    dave: { email: 'dave@example.com', email_verified: true, name: 'Dave' },
    eve: { email: 'eve@example.com', email_verified: false, name: 'Eve' },
  });
  t = await startServer({ smtpUrl: inbox.url });
  admin = client();
  admin.authStore.save(t.adminToken, null);
  await admin.collections.update('users', {
    otp: { enabled: true },
    oauth2: { enabled: true, providers: [oidc.hearthConfig()] },
  });
});
afterAll(async () => {
  await t.close();
  await inbox.close();
  await oidc.close();
});

describe('password sign-in', () => {
  it('signs up via create, signs in, refreshes; password and tokenKey never leave the server', async () => {
    const created = await signUp('ann@example.com', { name: 'Ann' });
    expect(created).not.toHaveProperty('password');
    expect(created).not.toHaveProperty('tokenKey');
    expect(created.verified).toBe(false);
    const pb = client();
    const auth = await pb.collection('users').authWithPassword('ann@example.com', PASSWORD);
    expect(pb.authStore.isValid).toBe(true);
    expect(auth.record.email).toBe('ann@example.com');
    expect(auth.record).not.toHaveProperty('password');
    expect(auth.record).not.toHaveProperty('tokenKey');
    const before = pb.authStore.token;
    await new Promise((r) => setTimeout(r, 1100)); // exp has one-second resolution
    const refreshed = await pb.collection('users').authRefresh();
    expect(refreshed.token).not.toBe(before);
    expect(pb.authStore.isValid).toBe(true);
    expect(refreshed.record.id).toBe(created.id);
  });

  it('lists auth methods for the collection', async () => {
    const methods = await client().collection('users').listAuthMethods();
    expect(methods.password).toEqual({ enabled: true, identityFields: ['email'] });
    expect(methods.otp).toEqual({ enabled: true, duration: 180 });
    expect(methods.mfa).toEqual({ enabled: false, duration: 0 });
    expect(methods.oauth2.enabled).toBe(true);
    const [provider] = methods.oauth2.providers;
    expect(provider).toMatchObject({ name: 'oidc', displayName: 'Local OIDC', codeChallengeMethod: 'S256' });
    expect(provider!.authURL.endsWith('&redirect_uri=')).toBe(true);
    expect(provider!.codeVerifier.length).toBeGreaterThanOrEqual(43);
  });
});

describe('mailed links', () => {
  it('resets a password from the mailed link; every old session dies; the link is single-use', async () => {
    const user = await signUp('reset@example.com');
    const phone = client();
    const laptop = client();
    await phone.collection('users').authWithPassword('reset@example.com', PASSWORD);
    await laptop.collection('users').authWithPassword('reset@example.com', PASSWORD);

    await client().collection('users').requestPasswordReset('reset@example.com');
    const mail = await inbox.waitFor(mailTo('reset@example.com', 'Reset your'));
    const token = linkToken(mail, 'confirm-password-reset');
    await client().collection('users').confirmPasswordReset(token, 'second password 2', 'second password 2');

    for (const old of [phone, laptop]) {
      expect((await rejection(old.collection('users').authRefresh())).status).toBe(401);
      // Where anonymous access is allowed the dead token is just anonymous: the own-only view is hidden.
      expect((await rejection(old.collection('users').getOne(user.id))).status).toBe(404);
    }
    const again = await rejection(client().collection('users').confirmPasswordReset(token, 'third password 3', 'third password 3'));
    expect(again.status).toBe(400);
    expect((await rejection(client().collection('users').authWithPassword('reset@example.com', PASSWORD))).status).toBe(400);
    const fresh = await client().collection('users').authWithPassword('reset@example.com', 'second password 2');
    expect(fresh.record.verified).toBe(true); // the link reached the mailbox
  });

  it('answers 204 for unknown addresses too (no enumeration)', async () => {
    await expect(client().collection('users').requestPasswordReset('nobody@example.com')).resolves.toBe(true);
    await expect(client().collection('users').requestVerification('nobody@example.com')).resolves.toBe(true);
    const otp = await client().collection('users').requestOTP('nobody@example.com');
    expect(otp.otpId).toMatch(/^[a-z0-9]{15}$/);
    expect((await rejection(client().collection('users').authWithOTP(otp.otpId, '12345678'))).status).toBe(400);
  });

  it('verifies an email from the mailed link', async () => {
    const user = await signUp('verify@example.com');
    const pb = client();
    await pb.collection('users').authWithPassword('verify@example.com', PASSWORD);
    await client().collection('users').requestVerification('verify@example.com');
    const token = linkToken(await inbox.waitFor(mailTo('verify@example.com', 'Verify your')), 'confirm-verification');
    await pb.collection('users').confirmVerification(token);
    expect(pb.authStore.record?.verified).toBe(true);
    expect((await pb.collection('users').getOne(user.id)).verified).toBe(true);
    expect((await rejection(client().collection('users').confirmVerification(token))).status).toBe(400);
  });

  it('changes the email through a link sent to the new address, then needs a new sign-in', async () => {
    await signUp('old-address@example.com');
    const pb = client();
    await pb.collection('users').authWithPassword('old-address@example.com', PASSWORD);
    const direct = await rejection(pb.collection('users').update(pb.authStore.record!.id, { email: 'sneaky@example.com' }));
    expect(direct.response.data).toHaveProperty('email');
    await pb.collection('users').requestEmailChange('new-address@example.com');
    const token = linkToken(await inbox.waitFor(mailTo('new-address@example.com', 'Confirm your')), 'confirm-email-change');
    const wrong = await rejection(client().collection('users').confirmEmailChange(token, 'not the password'));
    expect(wrong.response.data).toHaveProperty('password');
    const old = pb.authStore.token;
    await pb.collection('users').confirmEmailChange(token, PASSWORD);
    expect(pb.authStore.token).toBe(''); // the SDK signs out, and the server agrees:
    expect((await t.api('POST', '/api/collections/users/auth-refresh', undefined, old)).status).toBe(401);
    const fresh = await client().collection('users').authWithPassword('new-address@example.com', PASSWORD);
    expect(fresh.record).toMatchObject({ email: 'new-address@example.com', verified: true });
  });

  it('requires oldPassword when a user changes their own password', async () => {
    await signUp('change@example.com');
    const pb = client();
    const { record } = await pb.collection('users').authWithPassword('change@example.com', PASSWORD);
    const body = { password: 'brand new pass', passwordConfirm: 'brand new pass' };
    expect((await rejection(pb.collection('users').update(record.id, body))).response.data).toHaveProperty('oldPassword');
    expect((await rejection(pb.collection('users').update(record.id, { ...body, oldPassword: 'wrong one!' }))).response.data).toHaveProperty('oldPassword');
    await pb.collection('users').update(record.id, { ...body, oldPassword: PASSWORD });
    expect((await rejection(pb.collection('users').authRefresh())).status).toBe(401);
    await client().collection('users').authWithPassword('change@example.com', 'brand new pass');
  });
});

describe('one-time codes and MFA', () => {
  it('signs in with an emailed code, once', async () => {
    const user = await signUp('otp@example.com');
    const pb = client();
    const { otpId } = await pb.collection('users').requestOTP('otp@example.com');
    const code = otpCode(await inbox.waitFor(mailTo('otp@example.com', 'OTP for')));
    const auth = await pb.collection('users').authWithOTP(otpId, code);
    expect(auth.record.id).toBe(user.id);
    expect(auth.record.verified).toBe(true); // the code proved the mailbox
    expect(pb.authStore.isValid).toBe(true);
    expect((await rejection(client().collection('users').authWithOTP(otpId, code))).status).toBe(400);
  });

  it('asks for a second factor with mfaId, then accepts an emailed code', async () => {
    const staff = await admin.collections.create({
      name: 'staff',
      type: 'auth',
      fields: [],
      mfa: { enabled: true },
      otp: { enabled: true },
      listRule: 'id = @request.auth.id',
      viewRule: 'id = @request.auth.id',
    });
    expect(staff.mfa).toMatchObject({ enabled: true });
    await admin.collection('staff').create({ email: 'sam@example.com', password: PASSWORD, passwordConfirm: PASSWORD, verified: true });
    const pb = client();
    const first = await rejection(pb.collection('staff').authWithPassword('sam@example.com', PASSWORD));
    expect(first.status).toBe(401);
    const mfaId = first.response.mfaId as string;
    expect(mfaId).toMatch(/^[a-z0-9]{15}$/);
    expect(pb.authStore.isValid).toBe(false);
    // The same method twice is not two factors.
    const same = await rejection(pb.collection('staff').authWithPassword('sam@example.com', PASSWORD, { mfaId }));
    expect(same.status).toBe(400);
    const { otpId } = await pb.collection('staff').requestOTP('sam@example.com');
    const code = otpCode(await inbox.waitFor(mailTo('sam@example.com', 'OTP for')));
    const auth = await pb.collection('staff').authWithOTP(otpId, code, { mfaId });
    expect(auth.record.email).toBe('sam@example.com');
    expect(pb.authStore.isValid).toBe(true);
  });
});

describe('OAuth2 with a real OpenID Connect provider', () => {
  async function oauthSignIn(account: string, createData?: Record<string, unknown>) {
    const pb = client();
    const methods = await pb.collection('users').listAuthMethods();
    const provider = methods.oauth2.providers.find((p) => p.name === 'oidc')!;
    const { code, state } = await oidc.signIn(provider.authURL, account);
    expect(state).toBe(provider.state);
    const auth = await pb.collection('users').authWithOAuth2Code('oidc', code, provider.codeVerifier, oidc.redirectURL, createData);
    return { pb, auth };
  }

  it('signs up a new user from the provider, with createData; a second sign-in finds the same record', async () => {
    const { pb, auth } = await oauthSignIn('carol', { name: 'Carol from createData' });
    expect(pb.authStore.isValid).toBe(true);
    expect(auth.record).toMatchObject({ email: 'carol@example.com', verified: true, name: 'Carol from createData' });
    expect(auth.meta).toMatchObject({ id: 'carol', email: 'carol@example.com', isNew: true });
    const again = await oauthSignIn('carol');
    expect(again.auth.record.id).toBe(auth.record.id);
    expect(again.auth.meta?.isNew).toBe(false);
  });

  it('links a provider-verified email to the existing account and retires its password', async () => {
    const existing = await signUp('dave@example.com');
    const { auth } = await oauthSignIn('dave');
    expect(auth.record.id).toBe(existing.id);
    expect(auth.record.verified).toBe(true);
    // A password set before the owner proved the mailbox may belong to someone else.
    expect((await rejection(client().collection('users').authWithPassword('dave@example.com', PASSWORD))).status).toBe(400);
  });

  it('never links an email the provider has not verified', async () => {
    const existing = await signUp('eve@example.com');
    const failed = await rejection(oauthSignIn('eve'));
    // Sign-up with the same (unverified) address collides with the existing account instead.
    expect(failed.status).toBe(400);
    expect(failed.response.data).toMatchObject({ email: { code: 'validation_not_unique' } });
    const rows = await t.server.engine.all('SELECT * FROM "_externalAuths" WHERE "recordRef" = ?', [existing.id]);
    expect(rows).toHaveLength(0);
  });

  it('refuses a code exchanged with the wrong PKCE verifier', async () => {
    const methods = await client().collection('users').listAuthMethods();
    const provider = methods.oauth2.providers[0]!;
    const { code } = await oidc.signIn(provider.authURL, 'carol');
    const err = await rejection(client().collection('users').authWithOAuth2Code('oidc', code, 'x'.repeat(43), oidc.redirectURL));
    expect(err.status).toBe(400);
  });
});

describe('impersonation and signing out', () => {
  it('lets superusers impersonate with a non-refreshable token', async () => {
    const user = await signUp('imp@example.com');
    const imp = await admin.collection('users').impersonate(user.id, 600);
    expect(imp.authStore.isValid).toBe(true);
    expect((await imp.collection('users').getOne(user.id)).email).toBe('imp@example.com');
    const before = imp.authStore.token;
    expect((await imp.collection('users').authRefresh()).token).toBe(before); // never extended, as in PocketBase
    const pb = client();
    await pb.collection('users').authWithPassword('imp@example.com', PASSWORD);
    expect((await rejection(pb.collection('users').impersonate(user.id, 0))).status).toBe(403);
    expect((await t.api('POST', `/api/collections/users/impersonate/${user.id}`)).status).toBe(401);
  });

  it('lists sessions, signs out one device, and signs out everywhere', async () => {
    await signUp('sessions@example.com');
    const [a, b, c] = [client(), client(), client()];
    for (const pb of [a, b, c]) await pb.collection('users').authWithPassword('sessions@example.com', PASSWORD);
    const list = await a.send('/api/collections/users/auth-sessions', {});
    expect(list).toHaveLength(3);
    expect(list.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    await c.send('/api/collections/users/auth-sign-out', { method: 'POST' });
    expect((await rejection(c.collection('users').authRefresh())).status).toBe(401);
    await a.collection('users').authRefresh();
    await a.send('/api/collections/users/auth-sign-out-everywhere', { method: 'POST' });
    for (const pb of [a, b]) expect((await rejection(pb.collection('users').authRefresh())).status).toBe(401);
  });

  it('revokes the sessions of a deleted record', async () => {
    const user = await signUp('deleted@example.com');
    const pb = client();
    await pb.collection('users').authWithPassword('deleted@example.com', PASSWORD);
    const token = pb.authStore.token;
    await pb.collection('users').delete(user.id);
    expect((await t.api('POST', '/api/collections/users/auth-refresh', undefined, token)).status).toBe(401);
    expect(await t.server.engine.all('SELECT * FROM "_sessions" WHERE "recordId" = ?', [user.id])).toHaveLength(0);
  });
});
