/**
 * The record routes (list, view, create, update, delete) are answered by the fast lane
 * (http/fast-lane.ts) when they come over HTTP; the app answers the same request when handed it
 * directly (`server.fetch`). Every answer here is compared between the two — status, body and
 * the headers the app sets — and then checked against what it must be, for records, rules,
 * errors, CORS, request ids, body limits, rate limits, the request log and metrics.
 */
import { request } from 'node:http';
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
    listRule: "@request.auth.id != '' && team = @request.auth.team",
  }, t.adminToken);
  await t.api('POST', '/api/collections', {
    name: 'tasks',
    fields: [{ name: 'title', type: 'text', required: true, max: 20 }, { name: 'n', type: 'number' }, { name: 'team', type: 'text' }],
    createRule: "@request.auth.id != '' && @request.body.team = @request.auth.team",
    updateRule: "@request.auth.id != '' && team = @request.auth.team",
    deleteRule: "@request.auth.id != '' && team = @request.auth.team",
    listRule: '',
    viewRule: '',
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
});

describe('lists over HTTP', () => {
  it('serves a filtered, sorted page with the query the app reads, encoded or not', async () => {
    await t.api('POST', '/api/collections/notes/records', { body: 'second red', team: 'red' }, t.adminToken);
    const filter = encodeURIComponent("body ~ 'red'");
    for (const query of [`?filter=${filter}&sort=-body&perPage=1`, "?filter=(body~'red')&sort=body&fields=body", '?perPage=5&page=1&skipTotal=1', '?filter=%ZZ', '?sort=nope']) {
      const a = await both(`/api/collections/notes/records${query}`, { authorization: userToken, origin: 'http://app.test' });
      expect(a.requestId).toMatch(/^[0-9a-f-]{36}$/);
      if (query.startsWith('?filter=%ZZ') || query === '?sort=nope') {
        expect(a.status).toBe(400);
        expect(a.body).toMatchObject({ status: 400 });
        continue;
      }
      expect(a.status).toBe(200);
      expect(a.headers['access-control-allow-origin']).toBe('http://app.test');
    }
    const page = await both(`/api/collections/notes/records?filter=${filter}&sort=-body&perPage=1`, { authorization: userToken });
    expect(page.body).toMatchObject({ page: 1, perPage: 1, totalItems: 2, items: [{ body: 'second red' }] });
    const fields = await both("/api/collections/notes/records?filter=(body~'red')&sort=body&fields=body", { authorization: userToken });
    expect(fields.body).toMatchObject({ items: [{ body: 'red note' }, { body: 'second red' }] });
    const anonymous = await both('/api/collections/notes/records');
    expect(anonymous.body).toMatchObject({ totalItems: 0, items: [] });
    expect((await both('/api/collections/locked/records')).status).toBe(403);
    expect((await both('/api/collections/nope/records')).status).toBe(404);
    expect((await both(`/api/collections/notes/records/${noteId}?fields=id`, { authorization: userToken })).body).toEqual({ id: noteId });
  });
});

/** Fields a write sets anew each time, so two writes of the same body differ in them only. */
const fresh = (body: unknown): unknown => {
  if (!body || typeof body !== 'object') return body;
  const { id: _id, created: _created, updated: _updated, ...rest } = body as Record<string, unknown>;
  return rest;
};

/** One write over HTTP (fast lane) and another handed to the app; both answers, which must agree but for the fields a write sets. */
async function bothWrites(method: string, httpPath: string, appPath: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<Answer & { requestId: string | null }> {
  const http = await fetch(t.url + httpPath, { method, ...init });
  const requestId = http.headers.get('x-request-id');
  const viaHttp = await answerOf(http);
  const viaApp = await answerOf(await t.server.fetch(new Request(t.url + appPath, { method, ...init })));
  expect({ ...viaHttp, body: fresh(viaHttp.body) }).toEqual({ ...viaApp, body: fresh(viaApp.body) });
  return { ...viaHttp, requestId };
}

describe('writes over HTTP', () => {
  const json = (token: string, extra: Record<string, string> = {}) => ({ 'content-type': 'application/json', authorization: token, origin: 'http://app.test', ...extra });
  const tasks = '/api/collections/tasks/records';

  it('creates through the createRule, with field errors and rule refusals as the app answers them', async () => {
    const made = await bothWrites('POST', `${tasks}?fields=title,team`, `${tasks}?fields=title,team`, { body: JSON.stringify({ title: 'one', team: 'red' }), headers: json(userToken) });
    expect(made.status).toBe(200);
    expect(made.body).toEqual({ title: 'one', team: 'red' });
    expect(made.headers['access-control-allow-origin']).toBe('http://app.test');
    const bom = await bothWrites('POST', tasks, tasks, { body: '\uFEFF{"title":"bom","team":"red"}', headers: json(userToken) });
    expect(bom.body).toMatchObject({ title: 'bom', team: 'red', n: 0 });
    const invalid = await bothWrites('POST', tasks, tasks, { body: JSON.stringify({ title: 'x'.repeat(30), team: 'red' }), headers: json(userToken) });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ status: 400, data: { title: { code: expect.any(String) } } });
    const refused = await bothWrites('POST', tasks, tasks, { body: JSON.stringify({ title: 'blue', team: 'blue' }), headers: json(userToken) });
    expect(refused.status).toBe(400);
    const malformed = await bothWrites('POST', tasks, tasks, { body: '{"title":', headers: json(userToken) });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ status: 400, message: expect.stringContaining('malformed JSON') });
    const notObject = await bothWrites('POST', tasks, tasks, { body: '[1]', headers: json(userToken) });
    expect(notObject.status).toBe(400);
    const blank = await bothWrites('POST', tasks, tasks, { body: '  ', headers: json(userToken) });
    expect(blank.status).toBe(400);
    const deep = await bothWrites('POST', tasks, tasks, { body: '['.repeat(5000) + ']'.repeat(5000), headers: json(userToken) });
    expect(deep.status).toBe(400);
    // Not JSON: the app answers (and refuses text/plain), the same over HTTP.
    const text = await bothWrites('POST', tasks, tasks, { body: 'title=x', headers: { ...json(userToken), 'content-type': 'text/plain' } });
    expect(text.status).toBe(400);
    const listed = await both(`${tasks}?filter=${encodeURIComponent("title = 'one'")}`);
    expect(listed.body).toMatchObject({ totalItems: 2 });
  });

  it('refuses a declared body over the limit before reading it or resolving the caller', async () => {
    // Record writes allow 32 MiB plus their collection's files; the declared length alone decides.
    const declared = 40 * 1024 * 1024;
    const answer = await new Promise<{ status: number; body: string; cors: unknown }>((resolve, reject) => {
      const req = request(t.url + tasks, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(declared), authorization: 'Bearer not-a-token', origin: 'http://app.test' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body, cors: res.headers['access-control-allow-origin'] });
          req.destroy();
        });
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({ status: 413, message: expect.stringMatching(/^Request body is too large \(limit \d+ bytes\)\.$/), data: {} });
    expect(answer.cors).toBe('http://app.test');
  });

  it('updates and deletes through their rules', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await t.api('POST', tasks, { title: `t${i}`, team: i < 3 ? 'red' : 'blue' }, t.adminToken)).body.id);
    const patched = await bothWrites('PATCH', `${tasks}/${ids[0]}`, `${tasks}/${ids[1]}`, { body: JSON.stringify({ title: 'patched', 'n+': 2 }), headers: json(userToken) });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ title: 'patched', n: 2 });
    const foreign = await bothWrites('PATCH', `${tasks}/${ids[3]}`, `${tasks}/${ids[3]}`, { body: JSON.stringify({ title: 'no' }), headers: json(userToken) });
    expect(foreign.status).toBe(404);
    const anonymous = await bothWrites('DELETE', `${tasks}/${ids[0]}`, `${tasks}/${ids[1]}`, {});
    expect(anonymous.status).toBe(404);
    const deleted = await bothWrites('DELETE', `${tasks}/${ids[0]}`, `${tasks}/${ids[1]}`, { headers: { authorization: userToken, origin: 'http://app.test' } });
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeNull();
    expect(deleted.headers['access-control-allow-origin']).toBe('http://app.test');
    expect(deleted.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const again = await bothWrites('DELETE', `${tasks}/${ids[0]}`, `${tasks}/${ids[1]}`, { headers: { authorization: userToken } });
    expect(again.status).toBe(404);
    expect((await t.api('GET', `${tasks}/${ids[2]}`)).status).toBe(200);
  });

  it('logs writes under their route', async () => {
    const res = await fetch(t.url + tasks, { method: 'POST', body: JSON.stringify({ title: 'logged', team: 'red' }), headers: json(userToken, { 'x-request-id': 'fast-lane-write-1' }) });
    expect(res.status).toBe(200);
    await expect
      .poll(async () => {
        const logs = await t.api('GET', `/api/logs?filter=${encodeURIComponent("data.requestId = 'fast-lane-write-1'")}`, undefined, t.adminToken);
        return logs.body?.items?.[0]?.data;
      })
      .toMatchObject({ url: tasks, method: 'POST', status: 200, auth: 'members', requestId: 'fast-lane-write-1' });
    const metrics = await (await fetch(`${t.url}/api/metrics`, { headers: { authorization: t.adminToken } })).text();
    expect(metrics).toMatch(/hearth_http_requests_total\{method="POST",route="\/api\/collections\/:collection\/records",status="200"\} [1-9]/);
  });
});

describe('rate limits over HTTP', () => {

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
