/**
 * First run over HTTP (`/api/install`: loopback, or the one-time token; never from another
 * origin or once a superuser exists) and the dashboard's static serving at `/_/`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type HearthServer } from '../src/index.ts';

const FIRST = { email: 'first@example.com', password: 'a long password 1', passwordConfirm: 'a long password 1' };

async function start(dashboardDir: string) {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-install-'));
  const server = createServer({ dir, http: '127.0.0.1:0', logLevel: 'silent', dashboardDir });
  const { url } = await server.listen();
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}/api/install`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { server, url, post, close: async () => (await server.close(), rmSync(dir, { recursive: true, force: true })) };
}

describe('first superuser', () => {
  let s: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => (s = await start(join(tmpdir(), 'hearth-no-dashboard'))));
  afterAll(() => s.close());

  it('is needed on a fresh data dir, with a token to print', async () => {
    expect(await (await fetch(`${s.url}/api/install`)).json()).toEqual({ needed: true });
    expect(s.server.installToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a proxied (non-loopback) request without the token, or with a wrong one', async () => {
    const proxied = { 'x-forwarded-for': '203.0.113.7' };
    expect((await s.post(FIRST, proxied)).status).toBe(403);
    expect((await s.post({ ...FIRST, token: 'x'.repeat(43) }, proxied)).status).toBe(403);
  });

  it('refuses a browser request from another origin, even on loopback', async () => {
    const res = await s.post(FIRST, { origin: 'http://evil.example' });
    expect(res.status).toBe(403);
  });

  it('reports mismatched passwords at the field', async () => {
    const res = await s.post({ ...FIRST, passwordConfirm: 'other' });
    expect(res.status).toBe(400);
    expect((await res.json()).data.passwordConfirm.code).toBe('validation_values_mismatch');
  });

  it('creates the superuser with the token from elsewhere, then closes for good', async () => {
    const token = s.server.installToken()!;
    const res = await s.post({ ...FIRST, token }, { 'x-forwarded-for': '203.0.113.7' });
    expect(res.status).toBe(204);
    const signIn = await fetch(`${s.url}/api/collections/_superusers/auth-with-password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identity: FIRST.email, password: FIRST.password }),
    });
    expect(signIn.status).toBe(200);
    expect(s.server.installToken()).toBeNull();
    expect(await (await fetch(`${s.url}/api/install`)).json()).toEqual({ needed: false });
    expect((await s.post({ ...FIRST, email: 'second@example.com', token })).status).toBe(400);
  });
});

describe('dashboard assets at /_/', () => {
  let built: string;
  let s: Awaited<ReturnType<typeof start>>;
  let missing: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    built = mkdtempSync(join(tmpdir(), 'hearth-dashboard-'));
    mkdirSync(join(built, 'assets'));
    writeFileSync(join(built, 'index.html'), '<!doctype html><p>dashboard</p>');
    writeFileSync(join(built, 'assets', 'app-1.js'), 'console.log(1)');
    writeFileSync(join(tmpdir(), 'hearth-outside.txt'), 'secret');
    s = await start(built);
    missing = await start(join(built, 'nope'));
  });
  afterAll(async () => {
    await s.close();
    await missing.close();
    rmSync(built, { recursive: true, force: true });
  });

  it('serves index.html for the app routes and hashed assets with long caching', async () => {
    const index = await fetch(`${s.url}/_/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('dashboard');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await fetch(`${s.url}/_/collections/posts`)).status).toBe(200);
    const asset = await fetch(`${s.url}/_/assets/app-1.js`);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${s.url}/_/assets/gone.js`)).status).toBe(404);
    const redirect = await fetch(`${s.url}/_`, { redirect: 'manual' });
    expect(redirect.headers.get('location')).toBe('/_/');
  });

  it('never reads outside its directory', async () => {
    for (const path of ['/_/..%2fhearth-outside.txt', '/_/%2e%2e/hearth-outside.txt', '/_/assets/..%2f..%2fhearth-outside.txt']) {
      const res = await fetch(s.url + path);
      expect(await res.text()).not.toContain('secret');
    }
  });

  it('says how to build it when it is not built', async () => {
    const res = await fetch(`${missing.url}/_/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build -w dashboard');
  });
});
