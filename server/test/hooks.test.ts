/**
 * Hooks files over HTTP: record before/after hooks (a throw is the request's 4xx and nothing is
 * written; a mutation is stored), an after hook mailing through a real SMTP server, auth and
 * request hooks, and custom routes with auth, body and rate limits.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './harness.ts';
import { startSmtp, type Inbox } from './auth-helpers.ts';

let t: TestServer;
let inbox: Inbox;
let hooksDir: string;
let userToken: string;
let userId: string;
const BODY_LIMIT = 64 * 1024;

async function signIn(email: string, password: string): Promise<{ status: number; body: any }> {
  return t.api('POST', '/api/collections/users/auth-with-password', { identity: email, password });
}

beforeAll(async () => {
  inbox = await startSmtp();
  hooksDir = mkdtempSync(join(tmpdir(), 'hearth-hooks-'));
  copyFileSync(join(import.meta.dirname, 'fixtures/hooks-basic.ts'), join(hooksDir, 'posts.ts'));
  t = await startServer({ hooksDir, smtpUrl: inbox.url, bodyLimit: BODY_LIMIT });
  const posts = await t.api(
    'POST',
    '/api/collections',
    {
      name: 'posts',
      fields: [
        { name: 'title', type: 'text', required: true },
        { name: 'slug', type: 'text' },
        { name: 'status', type: 'text' },
        { name: 'locked', type: 'bool' },
        { name: 'owner', type: 'text' },
      ],
      listRule: 'owner = @request.auth.id',
      viewRule: '',
      createRule: '@request.auth.id != ""',
      updateRule: '',
      deleteRule: '',
    },
    t.adminToken,
  );
  expect(posts.status, JSON.stringify(posts.body)).toBe(200);
  const user = await t.api('POST', '/api/collections/users/records', { email: 'ann@example.com', password: 'password123', passwordConfirm: 'password123' });
  expect(user.status, JSON.stringify(user.body)).toBe(200);
  userId = user.body.id;
  await t.api('POST', '/api/collections/users/records', { email: 'bob@example.com', name: 'banned', password: 'password123', passwordConfirm: 'password123' });
  userToken = (await signIn('ann@example.com', 'password123')).body.token;
});

afterAll(async () => {
  await t?.close();
  await inbox?.close();
  rmSync(hooksDir, { recursive: true, force: true });
});

describe('record hooks', () => {
  it('a before-create hook that throws answers 400 with its message and writes nothing', async () => {
    const res = await t.api('POST', '/api/collections/posts/records', { title: 'Cheap spam here' }, userToken);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ status: 400, message: 'Posts about spam are not accepted.', data: {} });
    const all = await t.api('GET', '/api/collections/posts/records?filter=' + encodeURIComponent('title ~ "spam"'), undefined, t.adminToken);
    expect(all.body.totalItems).toBe(0);
  });

  it('a before-create hook that mutates the body changes what is stored', async () => {
    const res = await t.api('POST', '/api/collections/posts/records', { title: 'Hello, World', owner: 'someone-else' }, userToken);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.slug).toBe('hello-world');
    expect(res.body.owner).toBe(userId);
    const stored = await t.api('GET', `/api/collections/posts/records/${res.body.id}`, undefined, t.adminToken);
    expect(stored.body.slug).toBe('hello-world');
  });

  it('a before hook failing inside a batch rolls back every request of it', async () => {
    const res = await t.api(
      'POST',
      '/api/batch',
      {
        requests: [
          { method: 'POST', url: '/api/collections/posts/records', body: { title: 'batch ok' } },
          { method: 'POST', url: '/api/collections/posts/records', body: { title: 'batch spam' } },
        ],
      },
      userToken,
    );
    expect(res.status).toBe(400);
    expect(res.body.data.requests[1].response).toEqual({ status: 400, message: 'Posts about spam are not accepted.', data: {} });
    const all = await t.api('GET', '/api/collections/posts/records?filter=' + encodeURIComponent('title ~ "batch"'), undefined, t.adminToken);
    expect(all.body.totalItems).toBe(0);
  });

  it('a before-delete hook throwing an ApiError keeps its status; the record stays', async () => {
    const post = await t.api('POST', '/api/collections/posts/records', { title: 'Pinned', locked: true }, userToken);
    const res = await t.api('DELETE', `/api/collections/posts/records/${post.body.id}`, undefined, userToken);
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('Locked posts cannot be deleted.');
    expect((await t.api('GET', `/api/collections/posts/records/${post.body.id}`)).status).toBe(200);
  });

  it('an after-update hook sends mail through SMTP after the commit', async () => {
    const post = await t.api('POST', '/api/collections/posts/records', { title: 'Launch notes' }, userToken);
    const res = await t.api('PATCH', `/api/collections/posts/records/${post.body.id}`, { status: 'published' }, userToken);
    expect(res.status).toBe(200);
    const mail = await inbox.waitFor((m) => m.subject === 'Published: Launch notes');
    expect(mail.to).toEqual(['editor@example.com']);
    expect(mail.text).toContain(`Post ${post.body.id} is live.`);
  });

  it('request hooks wrap a collection’s endpoints and nothing else', async () => {
    const hooked = await t.api('GET', '/api/collections/posts/records', undefined, userToken);
    expect(hooked.headers.get('x-posts-hook')).toBe('seen');
    const other = await t.api('GET', '/api/collections/users/records', undefined, userToken);
    expect(other.headers.get('x-posts-hook')).toBeNull();
  });
});

describe('auth hooks', () => {
  it('a before-sign-in hook refuses the sign-in with its status', async () => {
    const res = await signIn('bob@example.com', 'password123');
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('This account is suspended.');
    expect((await signIn('ann@example.com', 'password123')).status).toBe(200);
  });
});

describe('custom routes', () => {
  const scenarios = [
    { name: 'anonymous', token: () => undefined, status: 401 },
    { name: 'superuser (not a users record)', token: () => t.adminToken, status: 403 },
    { name: 'users record', token: () => userToken, status: 200 },
  ];
  for (const s of scenarios) {
    it(`GET /api/hello/{name} with requireAuth('users'): ${s.name} → ${s.status}`, async () => {
      const res = await t.api('GET', '/api/hello/Ann%20Lee', undefined, s.token());
      expect(res.status).toBe(s.status);
      if (s.status === 200) expect(res.body).toEqual({ message: 'Hello Ann Lee!', user: 'ann@example.com' });
      else expect(Object.keys(res.body).sort()).toEqual(['data', 'message', 'status']);
    });
  }

  it('records.as(auth) applies the caller’s rules; records.system bypasses them', async () => {
    const mine = await t.api('GET', '/api/my-posts', undefined, userToken);
    expect(mine.status).toBe(200);
    const all = await t.api('GET', '/api/all-posts', undefined, t.adminToken);
    expect(all.body.totalItems).toBeGreaterThanOrEqual(mine.body.totalItems);
    await t.api('POST', '/api/collections/posts/records', { title: 'By admin' }, t.adminToken);
    const again = await t.api('GET', '/api/my-posts', undefined, userToken);
    expect(again.body.items.map((p: { title: string }) => p.title)).not.toContain('By admin');
    expect((await t.api('GET', '/api/all-posts', undefined, t.adminToken)).body.items.map((p: { title: string }) => p.title)).toContain('By admin');
    expect((await t.api('GET', '/api/all-posts', undefined, userToken)).status).toBe(403);
  });

  it('custom routes share the body limit and error shape, and take a rate limit', async () => {
    const ok = await t.api('POST', '/api/echo', { a: 1 });
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({ got: { a: 1 } });
    const big = await t.api('POST', '/api/echo', { blob: 'x'.repeat(BODY_LIMIT) });
    expect(big.status).toBe(413);
    const bad = await t.api('POST', '/api/echo', '{not json');
    expect(bad.status).toBe(400);
    const limited = await t.api('POST', '/api/echo', {});
    expect(limited.status).toBe(429);
    expect(limited.body.status).toBe(429);
  });

  it('unknown paths still answer 404 in the usual shape', async () => {
    const res = await t.api('GET', '/api/hello');
    expect(res.status).toBe(404);
    expect(res.body.status).toBe(404);
  });
});
