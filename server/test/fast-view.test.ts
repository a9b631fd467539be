/**
 * GET /api/collections/{c}/records/{id} is answered by the fast lane (http/fast-view.ts) when it
 * comes over HTTP; the app answers the same request when handed it directly (`server.fetch`).
 * Every answer here is compared between the two — status, body and the headers the app sets —
 * and then checked against what it must be, for records, rules, errors, CORS, request ids,
 * rate limits, the request log and metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './harness.ts';

let t: TestServer;
let userToken = '';
let noteId = '';
let secretId = '';

beforeAll(async () => {
  t = await startServer({ corsOrigins: ['http://app.test'] });
  const users = await t.api('POST', '/api/collections', { name: 'members', type: 'auth', fields: [{ name: 'team', type: 'text' }], createRule: '' }, t.adminToken);
  expect(users.status).toBe(200);
  await t.api('POST', '/api/collections', {
    name: 'notes',
    fields: [{ name: 'body', type: 'text' }, { name: 'team', type: 'text' }],
    viewRule: "@request.auth.id != '' && (team = @request.auth.team || team = @request.headers.x_team)",
  }, t.adminToken);
  await t.api('POST', '/api/collections', { name: 'locked', fields: [{ name: 'body', type: 'text' }], viewRule: null }, t.adminToken);
  const member = await t.api('POST', '/api/collections/members/records', { email: 'm@test.dev', password: 'pass-word-1', passwordConfirm: 'pass-word-1', team: 'red' });
  expect(member.status).toBe(200);
  userToken = (await t.api('POST', '/api/collections/members/auth-with-password', { identity: 'm@test.dev', password: 'pass-word-1' })).body.token;
  noteId = (await t.api('POST', '/api/collections/notes/records', { body: 'red note', team: 'red' }, t.adminToken)).body.id;
  secretId = (await t.api('POST', '/api/collections/notes/records', { body: 'blue note', team: 'blue' }, t.adminToken)).body.id;
});
afterAll(() => t.close());

interface Answer {
  status: number;
  body: unknown;
  headers: Record<string, string | null>;
}

const SHOWN = ['content-type', 'access-control-allow-origin', 'vary', 'retry-after'];

async function answerOf(res: Response): Promise<Answer> {
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: Object.fromEntries(SHOWN.map((h) => [h, res.headers.get(h)])) };
}

/** The same GET over HTTP (fast lane) and handed to the app; both answers, which must agree. */
async function both(path: string, headers: Record<string, string> = {}): Promise<Answer & { requestId: string | null }> {
  const http = await fetch(t.url + path, { headers });
  const requestId = http.headers.get('x-request-id');
  const viaHttp = await answerOf(http);
  const viaApp = await answerOf(await t.server.fetch(new Request(t.url + path, { headers })));
  expect(viaHttp).toEqual(viaApp);
  return { ...viaHttp, requestId };
}

describe('GET one record over HTTP', () => {
  it('serves a record the rule admits, with the app’s headers', async () => {
    const a = await both(`/api/collections/notes/records/${noteId}`, { authorization: userToken, origin: 'http://app.test' });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ id: noteId, body: 'red note', collectionName: 'notes' });
    expect(a.headers['content-type']).toBe('application/json');
    expect(a.headers['access-control-allow-origin']).toBe('http://app.test');
    expect(a.headers.vary).toBe('Origin');
    expect(a.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('hides what the rule refuses, sees request headers, and answers errors in the error shape', async () => {
    const hidden = await both(`/api/collections/notes/records/${secretId}`, { authorization: userToken, origin: 'http://elsewhere.test' });
    expect(hidden.status).toBe(404);
    expect(hidden.body).toMatchObject({ status: 404, data: {} });
    expect(hidden.headers['access-control-allow-origin']).toBeNull();
    const byHeader = await both(`/api/collections/notes/records/${secretId}`, { authorization: userToken, 'x-team': 'blue' });
    expect(byHeader.status).toBe(200);
    expect((await both(`/api/collections/notes/records/${noteId}`)).status).toBe(404);
    expect((await both(`/api/collections/notes/records/${noteId}`, { authorization: 'Bearer not-a-token' })).status).toBe(404);
    const locked = await both('/api/collections/locked/records/abc');
    expect(locked.status).toBe(403);
    expect(locked.body).toMatchObject({ status: 403, data: {} });
    expect((await both('/api/collections/nope/records/abc')).status).toBe(404);
    expect((await both(`/api/collections/notes/records/${noteId}?fields=id`, { authorization: userToken })).body).toEqual({ id: noteId });
  });

  it('keeps a sane incoming request id and logs the request under it, counted under its route', async () => {
    const res = await fetch(`${t.url}/api/collections/notes/records/${noteId}`, { headers: { 'x-request-id': 'fast-lane-check-1' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('fast-lane-check-1');
    await expect
      .poll(async () => {
        const logs = await t.api('GET', `/api/logs?filter=${encodeURIComponent("data.requestId = 'fast-lane-check-1'")}`, undefined, t.adminToken);
        return logs.body?.items?.[0]?.data;
      })
      .toMatchObject({ url: `/api/collections/notes/records/${noteId}`, method: 'GET', status: 404, requestId: 'fast-lane-check-1', error: expect.any(String) });
    const metrics = await (await fetch(`${t.url}/api/metrics`, { headers: { authorization: t.adminToken } })).text();
    expect(metrics).toMatch(/hearth_http_requests_total\{method="GET",route="\/api\/collections\/:collection\/records\/:id",status="404"\} [1-9]/);
  });

  it('applies the rate limits of the settings', async () => {
    const set = await t.api('PATCH', '/api/settings', { rateLimits: { enabled: true, rules: [{ label: 'locked:view', maxRequests: 1, duration: 60 }] } }, t.adminToken);
    expect(set.status).toBe(200);
    expect((await fetch(`${t.url}/api/collections/locked/records/abc`)).status).toBe(403);
    const limited = await fetch(`${t.url}/api/collections/locked/records/abc`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ status: 429, data: {} });
  });
});
