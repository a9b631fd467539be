/**
 * The all-in-one OAuth2 sign-in in real Chromium, as most PocketBase browser apps do it: a page
 * (served by this test, another origin) calls the `pocketbase` SDK's
 * `authWithOAuth2({provider})` — or `@hearth/sdk`'s `signInWithOAuth2Popup` — from a click; the
 * popup signs in at a real OpenID Connect provider on loopback, comes back through
 * `/api/oauth2-redirect` (a GET redirect, or Apple's form post for the `apple` provider pointed
 * at the same local provider), and the opener ends up with the auth record and a working token.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../test-support/chromium.ts';
import { startOidcProvider, type OidcAccount, type OidcProvider } from './auth-helpers.ts';
import { startServer, type TestServer } from './harness.ts';

/** A cold Chromium start and an SDK bundle on a slow, shared CI machine. */
const SETUP_TIMEOUT = 120_000;
/** One sign-in: popup, provider, redirect, realtime message, code exchange. */
const FLOW_TIMEOUT = 30_000;

let hearth: TestServer;
let oidc: OidcProvider;
let page: Server;
let pageUrl = '';
let browser: Browser;
const accounts: Record<string, OidcAccount> = {
  ann: { email: 'ann@example.com', email_verified: true, name: 'Ann' },
  ben: { email: 'ben@example.com', email_verified: true, name: 'Ben' },
  cid: { email: 'cid@example.com', email_verified: true },
  dee: { email: 'dee@example.com', email_verified: true },
};

async function hearthBundle(): Promise<string> {
  const out = await build({
    entryPoints: [new URL('../../sdk/src/index.ts', import.meta.url).pathname],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'HearthSDK',
    platform: 'browser',
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>app</title>
<button id="signin">Sign in</button>
<script src="/pocketbase.js"></script><script src="/hearth.js"></script>
<script>
  const q = new URLSearchParams(location.search);
  const server = q.get('server');
  document.getElementById('signin').addEventListener('click', () => {
    const done = (r) => { window.result = { token: r.token, id: r.record.id, email: r.record.email, name: r.record.name, isNew: r.meta && r.meta.isNew }; };
    const failed = (e) => { window.result = { error: String((e && e.originalError && e.originalError.message) || (e && e.message) || e) }; };
    if (q.get('sdk') === 'hearth') {
      const client = HearthSDK.createClient(server);
      client.auth('users').signInWithOAuth2Popup({ provider: q.get('provider') }).then(done, failed);
    } else {
      const pb = new PocketBase(server);
      pb.collection('users').authWithOAuth2({ provider: q.get('provider') }).then(done, failed);
    }
  });
</script>`;

beforeAll(async () => {
  hearth = await startServer();
  oidc = await startOidcProvider(accounts, { redirectUris: [`${hearth.url}/api/oauth2-redirect`], idTokenClaims: true });
  const base = oidc.hearthConfig('oidc');
  // Apple's flow (form_post answer, ID-token user) against the same provider.
  const apple = { ...oidc.hearthConfig('apple'), displayName: undefined, userInfoURL: undefined, extra: { scopes: ['openid', 'email'] } };
  const res = await hearth.api('PATCH', '/api/collections/users', { oauth2: { enabled: true, providers: [base, apple], mappedFields: { name: 'name' } } }, hearth.adminToken);
  expect(res.status, JSON.stringify(res.body)).toBe(200);

  const require = createRequire(import.meta.url);
  // The package exports no subpaths; its browser build sits beside the main entry.
  const pocketbaseJs = readFileSync(join(dirname(require.resolve('pocketbase')), 'pocketbase.iife.js'), 'utf8');
  const hearthJs = await hearthBundle();
  page = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const body = path === '/pocketbase.js' ? pocketbaseJs : path === '/hearth.js' ? hearthJs : path === '/' ? PAGE : null;
    if (body === null) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': path === '/' ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, SETUP_TIMEOUT);

afterAll(async () => {
  await browser?.close();
  if (page) await new Promise((resolve) => page.close(resolve));
  await oidc?.close();
  await hearth?.close();
});

interface Result {
  token?: string;
  id?: string;
  email?: string;
  name?: string;
  isNew?: boolean;
  error?: string;
}

/** Opens the app page, clicks sign-in, and waits for the SDK's answer in the opener. */
async function signIn(sdk: 'pb' | 'hearth', provider: string, account: string): Promise<{ result: Result; redirects: string[] }> {
  oidc.useAccount(account);
  const context = await browser.newContext();
  const errors: string[] = [];
  context.on('weberror', (e) => errors.push(e.error().message));
  // How the popup came back to /api/oauth2-redirect (the SDKs close it as soon as the code arrives,
  // so the answer to that request may never reach the page).
  const redirects: string[] = [];
  context.on('request', (r) => {
    const url = new URL(r.url());
    if (url.origin === hearth.url && url.pathname === '/api/oauth2-redirect') redirects.push(`${r.method()} ${url.search ? 'query' : 'form'}`);
  });
  try {
    const app = await context.newPage();
    await app.goto(`${pageUrl}/?sdk=${sdk}&provider=${provider}&server=${encodeURIComponent(hearth.url)}`);
    const popup = context.waitForEvent('page');
    await app.click('#signin');
    await popup;
    await app.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, undefined, { timeout: FLOW_TIMEOUT });
    const result = await app.evaluate(() => (window as unknown as { result: Result }).result);
    expect(errors).toEqual([]);
    return { result, redirects };
  } finally {
    await context.close();
  }
}

async function expectSignedIn(result: Result, email: string): Promise<void> {
  expect(result.error).toBeUndefined();
  expect(result.email).toBe(email);
  // The token the opener got is a real session of that record.
  const refresh = await hearth.api('POST', '/api/collections/users/auth-refresh', undefined, result.token);
  expect(refresh.status).toBe(200);
  expect(refresh.body.record.id).toBe(result.id);
}

describe('authWithOAuth2({provider}) in Chromium', () => {
  it('signs up through the popup with the pocketbase SDK; the redirect is a GET', { timeout: FLOW_TIMEOUT * 2 }, async () => {
    const { result, redirects } = await signIn('pb', 'oidc', 'ann');
    await expectSignedIn(result, 'ann@example.com');
    expect(result).toMatchObject({ name: 'Ann', isNew: true });
    expect(redirects).toEqual(['GET query']);
    // Signing in again finds the same record.
    const again = await signIn('pb', 'oidc', 'ann');
    expect(again.result).toMatchObject({ id: result.id, isNew: false });
  });

  it("completes Apple's form-post callback with the pocketbase SDK", { timeout: FLOW_TIMEOUT * 2 }, async () => {
    const { result, redirects } = await signIn('pb', 'apple', 'ben');
    await expectSignedIn(result, 'ben@example.com');
    // The provider answered with a form the popup posted to /api/oauth2-redirect.
    expect(redirects).toEqual(['POST form']);
  });

  it('does the same with @hearth/sdk (over its WebSocket)', { timeout: FLOW_TIMEOUT * 2 }, async () => {
    const viaGet = await signIn('hearth', 'oidc', 'cid');
    await expectSignedIn(viaGet.result, 'cid@example.com');
    expect(viaGet.redirects).toEqual(['GET query']);
    const viaPost = await signIn('hearth', 'apple', 'dee');
    await expectSignedIn(viaPost.result, 'dee@example.com');
    expect(viaPost.redirects).toEqual(['POST form']);
  });
});
