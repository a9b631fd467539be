/**
 * Auth through the SDK against a real server: sign-up/in/out, refresh (new token), automatic
 * refresh (before requests, with one refresh in flight, and on a timer before `exp`), revoked
 * sessions, and the auth stores (memory, custom async, localStorage with cross-tab changes).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient, HearthError, localStorageStore, memoryStore, decodeTokenPayload, type AuthState, type AuthStore } from '../src/index.ts';
import { createFixtureCollections, recordingFetch, startHearth, waitFor, type TestHearth } from './harness.ts';

let t: TestHearth;
const PASSWORD = 'password123';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  t = await startHearth();
  await createFixtureCollections(t.admin);
  // An auth collection with 3-second tokens, for the timer-driven refresh.
  await t.admin.send('/api/collections', {
    method: 'POST',
    body: { name: 'members', type: 'auth', authToken: { duration: 3 }, listRule: 'id = @request.auth.id', viewRule: 'id = @request.auth.id', createRule: '' },
  });
});
afterAll(() => t.close());

let n = 0;
const newEmail = () => `user${++n}@example.com`;
async function signUp(email = newEmail()) {
  await t.client().auth('users').signUp({ email, password: PASSWORD, passwordConfirm: PASSWORD, name: `User ${n}` });
  return email;
}

describe('sign-up, sign-in, sign-out', () => {
  it('signs up (a record create) and signs in, notifying onAuthChange', async () => {
    const client = t.client();
    const changes: Array<AuthState | null> = [];
    client.onAuthChange((s) => changes.push(s));
    const email = newEmail();
    const record = await client.auth('users').signUp({ email, password: PASSWORD, passwordConfirm: PASSWORD, name: 'New' });
    expect(record).toMatchObject({ name: 'New', verified: false, collectionName: 'users' });
    expect(record.email).toBeUndefined(); // hidden from an anonymous caller (emailVisibility false), as in PocketBase
    expect(client.isSignedIn).toBe(false);
    const result = await client.auth('users').signIn(email, PASSWORD);
    expect(result.record).toMatchObject({ id: record.id, email });
    expect(client.token).toBe(result.token);
    expect(client.authRecord?.id).toBe(record.id);
    expect(client.isSignedIn).toBe(true);
    expect(decodeTokenPayload(result.token)).toMatchObject({ id: record.id, type: 'auth' });
    expect(changes).toEqual([{ token: result.token, record: result.record }]);
    await client.auth('users').signOut();
    expect(client.token).toBe('');
    expect(client.isSignedIn).toBe(false);
    expect(changes.at(-1)).toBeNull();
  });

  it('signUp({signIn: true}) signs in right away; wrong passwords are a 400 HearthError', async () => {
    const client = t.client();
    const email = newEmail();
    await client.auth('users').signUp({ email, password: PASSWORD, passwordConfirm: PASSWORD }, { signIn: true });
    expect(client.authRecord?.email).toBe(email);
    const err = await t.client().auth('users').signIn(email, 'wrong password').catch((e: HearthError) => e);
    expect(err).toBeInstanceOf(HearthError);
    expect(err).toMatchObject({ status: 400 });
  });

  it('sends the token: rules see the signed-in user, and not after sign-out', async () => {
    const client = t.client();
    const { record } = await client.auth('users').signIn(await signUp(), PASSWORD);
    const note = await client.collection('notes').create({ text: 'mine', owner: record.id });
    expect((await client.collection('notes').list()).items.map((x) => x.id)).toEqual([note.id]);
    const other = t.client();
    await other.auth('users').signIn(await signUp(), PASSWORD);
    expect((await other.collection('notes').list()).items).toEqual([]);
    await client.auth('users').signOut();
    expect((await client.collection('notes').list()).items).toEqual([]);
  });
});

describe('refresh', () => {
  it('refresh() returns a new token for the same record and stores it', async () => {
    const client = t.client();
    const first = await client.auth('users').signIn(await signUp(), PASSWORD);
    await sleep(1100); // token claims have one-second resolution
    const changes: string[] = [];
    client.onAuthChange((s) => changes.push(s?.token ?? ''));
    const next = await client.auth('users').refresh();
    expect(next.token).not.toBe(first.token);
    expect(next.record.id).toBe(first.record.id);
    expect(client.token).toBe(next.token);
    expect(changes).toEqual([next.token]);
    expect(Number(decodeTokenPayload(next.token)?.exp)).toBeGreaterThan(Number(decodeTokenPayload(first.token)?.exp));
  });

  it('refreshes before requests when the token is close to expiry, one refresh for concurrent requests', async () => {
    const rec = recordingFetch();
    // A window longer than the token's lifetime: every request finds the token "about to expire".
    const client = t.client({ fetch: rec.fetch, autoRefresh: { before: 30 * 24 * 3600 } });
    const { token } = await client.auth('users').signIn(await signUp(), PASSWORD);
    await sleep(1100);
    rec.calls.length = 0;
    const results = await Promise.all(Array.from({ length: 5 }, () => client.collection('notes').list()));
    expect(results).toHaveLength(5);
    expect(rec.calls.filter((c) => c.endsWith('/auth-refresh'))).toEqual(['POST /api/collections/users/auth-refresh']);
    expect(rec.calls.filter((c) => c.endsWith('/records'))).toHaveLength(5);
    expect(rec.calls[0]).toBe('POST /api/collections/users/auth-refresh'); // before the requests
    expect(client.token).not.toBe(token);
  });

  it('does not refresh while the token is far from expiry, nor when disabled', async () => {
    const rec = recordingFetch();
    const client = t.client({ fetch: rec.fetch });
    await client.auth('users').signIn(await signUp(), PASSWORD);
    await client.collection('notes').list();
    const off = t.client({ fetch: rec.fetch, autoRefresh: false });
    await off.auth('users').signIn(await signUp(), PASSWORD);
    await off.collection('notes').list();
    expect(rec.calls.some((c) => c.endsWith('/auth-refresh'))).toBe(false);
  });

  it('refreshes on a timer shortly before exp (3-second tokens, 2-second window)', async () => {
    const client = createClient(t.url, { autoRefresh: { before: 2 } }); // untyped: `members` is not in the fixture Schema
    await client.auth('members').signUp({ email: 'm@example.com', password: PASSWORD, passwordConfirm: PASSWORD });
    const { token } = await client.auth('members').signIn('m@example.com', PASSWORD);
    const refreshed: string[] = [];
    client.onAuthChange((s) => s && refreshed.push(s.token));
    await waitFor(() => refreshed.length > 0, 4000, 'the timed refresh');
    expect(refreshed[0]).not.toBe(token);
    expect(Number(decodeTokenPayload(refreshed[0]!)?.exp) * 1000).toBeGreaterThan(Date.now() + 1000);
    client.close();
  });

  it('clears the session when the server refuses the refresh (password changed: signed out everywhere)', async () => {
    const client = t.client();
    const email = await signUp();
    const { record } = await client.auth('users').signIn(email, PASSWORD);
    const changes: Array<AuthState | null> = [];
    client.onAuthChange((s) => changes.push(s));
    await t.admin.collection('users').update(record.id, { password: 'another password', passwordConfirm: 'another password' });
    const err = await client.auth('users').refresh().catch((e: HearthError) => e);
    expect(err).toBeInstanceOf(HearthError);
    expect((err as HearthError).status).toBe(401);
    expect(client.token).toBe('');
    expect(changes).toEqual([null]);
  });
});

describe('auth stores', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('loads a saved session from a custom async store before the first request', async () => {
    const email = await signUp();
    const { token, record } = await t.client().auth('users').signIn(email, PASSWORD);
    const saved: Array<AuthState | null> = [];
    const store: AuthStore = {
      load: async () => {
        await sleep(50);
        return { token, record };
      },
      save: async (s) => {
        saved.push(s);
      },
    };
    const client = t.client({ authStore: store });
    const note = await client.collection('notes').create({ text: 'from a restored session', owner: record.id });
    expect(note.owner).toBe(record.id);
    expect(client.token).toBe(token);
    await client.auth('users').signOut();
    expect(saved).toEqual([null]);
  });

  it('memoryStore keeps state per instance', async () => {
    const store = memoryStore();
    const client = t.client({ authStore: store });
    await client.auth('users').signIn(await signUp(), PASSWORD);
    expect((await store.load())?.token).toBe(client.token);
  });

  it('localStorageStore persists across clients and follows other tabs', async () => {
    const data = new Map<string, string>();
    const target = new EventTarget();
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v),
      removeItem: (k: string) => void data.delete(k),
    });
    vi.stubGlobal('addEventListener', target.addEventListener.bind(target));
    vi.stubGlobal('removeEventListener', target.removeEventListener.bind(target));
    const tab1 = t.client({ authStore: localStorageStore('app_auth') });
    const { token } = await tab1.auth('users').signIn(await signUp(), PASSWORD);
    expect(JSON.parse(data.get('app_auth')!).token).toBe(token);
    const tab2 = t.client({ authStore: localStorageStore('app_auth') });
    await tab2.ready();
    expect(tab2.token).toBe(token);
    const seen: Array<string | null> = [];
    tab2.onAuthChange((s) => seen.push(s?.token ?? null));
    await tab1.auth('users').signOut(); // the browser then fires `storage` in the other tabs:
    target.dispatchEvent(Object.assign(new Event('storage'), { key: 'app_auth', newValue: null }));
    expect(data.has('app_auth')).toBe(false);
    expect(tab2.token).toBe('');
    expect(seen).toEqual([null]);
  });
});

describe('email, OTP and OAuth2 flows', () => {
  it('requestPasswordReset and requestVerification answer without revealing accounts', async () => {
    const email = await signUp();
    await expect(t.client().auth('users').requestPasswordReset(email)).resolves.toBeUndefined();
    await expect(t.client().auth('users').requestPasswordReset('nobody@example.com')).resolves.toBeUndefined();
    await expect(t.client().auth('users').requestVerification(email)).resolves.toBeUndefined();
  });

  it('requestOtp returns an otpId; a wrong code is refused', async () => {
    await t.admin.send('/api/collections/users', { method: 'PATCH', body: { otp: { enabled: true } } });
    const email = await signUp();
    const { otpId } = await t.client().auth('users').requestOtp(email);
    expect(typeof otpId).toBe('string');
    const err = await t.client().auth('users').signInWithOtp(otpId, '00000000').catch((e: HearthError) => e);
    expect(err).toBeInstanceOf(HearthError);
    expect((err as HearthError).status).toBe(400);
  });

  it('signInWithOAuth2 on a collection without OAuth2 is a 403, as PocketBase', async () => {
    const err = await t
      .client()
      .auth('users')
      .signInWithOAuth2({ provider: 'nope', code: 'x', codeVerifier: 'y', redirectURL: 'http://localhost/cb' })
      .catch((e: HearthError) => e);
    expect(err).toMatchObject({ status: 403 });
    expect((err as HearthError).message).toMatch(/OAuth2/);
  });

  it('lists the auth methods', async () => {
    const methods = await t.client().auth('users').methods();
    expect(methods.password).toMatchObject({ enabled: true, identityFields: expect.arrayContaining(['email']) });
  });
});
