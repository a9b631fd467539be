/**
 * `@request.context` in rules, as PocketBase sets it: "default" for a plain request, "expand" for
 * the view rule of an expanded relation, "realtime" for a delivery, "protectedFile" for a
 * protected download, "batch" for each operation of a batch, and the sign-in method ("password",
 * "oauth2", "otp") for the authRule and MFA checks of a sign-in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './harness.ts';
import { WsClient } from './realtime-helpers.ts';

const LIGHT_SCRYPT = { N: 2 ** 12, r: 8, p: 1 };
const ALICE = { email: 'alice@example.com', password: 'password123' };
let t: TestServer;
let alice: { id: string; token: string; email: string };
const wsUrl = () => t.url.replace(/^http/, 'ws') + '/api/realtime/ws';
const sockets: WsClient[] = [];

const createCollection = async (body: Record<string, unknown>) => {
  const r = await t.api('POST', '/api/collections', body, t.adminToken);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as { id: string };
};
const createAsAdmin = async (collection: string, body: Record<string, unknown>): Promise<string> => {
  const r = await t.api('POST', `/api/collections/${collection}/records`, body, t.adminToken);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.id;
};

beforeAll(async () => {
  t = await startServer({ passwordParams: LIGHT_SCRYPT });
  const created = await t.api('POST', '/api/collections/users/records', { ...ALICE, passwordConfirm: ALICE.password });
  const signedIn = await t.api('POST', '/api/collections/users/auth-with-password', { identity: ALICE.email, password: ALICE.password });
  alice = { id: (created.body as { id: string }).id, token: (signedIn.body as { token: string }).token, email: ALICE.email };
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await t.close();
});

describe('@request.context', () => {
  it('is "default" on a plain request, and a rule may test it', async () => {
    await createCollection({ name: 'plain', fields: [{ name: 'v', type: 'text' }], listRule: '@request.context = "default"', viewRule: '@request.context != "default"' });
    const id = await createAsAdmin('plain', { v: 'x' });
    const list = await t.api('GET', '/api/collections/plain/records', undefined, alice.token);
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([id]);
    expect((await t.api('GET', `/api/collections/plain/records/${id}`, undefined, alice.token)).status).toBe(404);
  });

  it('is "expand" for the view rule of an expanded relation, not for the record itself', async () => {
    const tags = await createCollection({ name: 'tags', fields: [{ name: 'label', type: 'text' }], listRule: '@request.context = "expand"', viewRule: '@request.context = "expand"' });
    await createCollection({ name: 'articles', fields: [{ name: 'title', type: 'text' }, { name: 'tag', type: 'relation', collectionId: tags.id, maxSelect: 1 }], listRule: '', viewRule: '' });
    const tag = await createAsAdmin('tags', { label: 'news' });
    const article = await createAsAdmin('articles', { title: 'a', tag });
    expect((await t.api('GET', `/api/collections/tags/records/${tag}`, undefined, alice.token)).status).toBe(404);
    expect((await t.api('GET', '/api/collections/tags/records', undefined, alice.token)).body.items).toEqual([]);
    const expanded = await t.api('GET', `/api/collections/articles/records/${article}?expand=tag`, undefined, alice.token);
    expect(expanded.status).toBe(200);
    expect(expanded.body.expand?.tag?.label).toBe('news');
  });

  it('is "batch" for each operation of a batch', async () => {
    await createCollection({ name: 'batched', fields: [{ name: 'v', type: 'text' }], listRule: '', viewRule: '', createRule: '@request.context = "batch"' });
    const direct = await t.api('POST', '/api/collections/batched/records', { v: 'direct' }, alice.token);
    expect(direct.status).toBe(400);
    const batch = await t.api('POST', '/api/batch', { requests: [{ method: 'POST', url: '/api/collections/batched/records', body: { v: 'in batch' } }] }, alice.token);
    expect(batch.status, JSON.stringify(batch.body)).toBe(200);
    const list = await t.api('GET', '/api/collections/batched/records', undefined, alice.token);
    expect(list.body.items.map((r: { v: string }) => r.v)).toEqual(['in batch']);
  });

  it('is "realtime" for deliveries: a realtime-only list rule hides the records from REST and shows them live', async () => {
    await createCollection({ name: 'live', fields: [{ name: 'v', type: 'text' }], listRule: '@request.context = "realtime"', viewRule: '@request.context = "realtime"' });
    await createCollection({ name: 'notlive', fields: [{ name: 'v', type: 'text' }], listRule: '@request.context != "realtime"', viewRule: '' });
    const ws = await WsClient.open(wsUrl());
    sockets.push(ws);
    await ws.auth(alice.token);
    expect((await ws.subscribe({ id: 'live', collection: 'live' })).type).toBe('subscribed');
    expect((await ws.subscribe({ id: 'notlive', collection: 'notlive' })).type).toBe('subscribed');
    const hidden = await createAsAdmin('notlive', { v: 'hidden' });
    const shown = await createAsAdmin('live', { v: 'shown' });
    // Changes reach a connection in seq order: once the later one arrived, the earlier was decided.
    await ws.next((m) => m.type === 'change' && m.record?.id === shown, 'the live change');
    expect(ws.changes().map((m) => m.record.id)).toEqual([shown]);
    expect(hidden).not.toBe(shown);
    expect((await t.api('GET', '/api/collections/live/records', undefined, alice.token)).body.items).toEqual([]);
    expect((await t.api('GET', '/api/collections/notlive/records', undefined, alice.token)).body.items.map((r: { id: string }) => r.id)).toEqual([hidden]);
  });

  it('is "protectedFile" for a protected download: the record stays hidden, its file is served', async () => {
    await createCollection({
      name: 'vaultfiles',
      fields: [{ name: 'doc', type: 'file', maxSelect: 1, maxSize: 1_000_000, protected: true }],
      listRule: '',
      viewRule: '@request.context = "protectedFile" && @request.auth.id != ""',
    });
    const form = new FormData();
    form.append('doc', new Blob(['the secret plans'], { type: 'text/plain' }), 'plans.txt');
    const up = await fetch(`${t.url}/api/collections/vaultfiles/records`, { method: 'POST', body: form, headers: { authorization: t.adminToken } });
    const rec = (await up.json()) as { id: string; doc: string };
    expect(up.status).toBe(200);
    expect((await t.api('GET', `/api/collections/vaultfiles/records/${rec.id}`, undefined, alice.token)).status).toBe(404);
    const fileToken = (await t.api('POST', '/api/files/token', undefined, alice.token)).body.token as string;
    const file = await fetch(`${t.url}/api/files/vaultfiles/${rec.id}/${rec.doc}?token=${fileToken}`);
    expect(file.status).toBe(200);
    expect(await file.text()).toBe('the secret plans');
    // Without a file token the caller is a guest: the rule's auth half refuses it.
    expect((await fetch(`${t.url}/api/files/vaultfiles/${rec.id}/${rec.doc}`)).status).toBe(404);
  });

  it('is the sign-in method for the authRule: "password" admits a password sign-in, "oauth2" refuses it', async () => {
    const passwordOnly = await t.api('PATCH', '/api/collections/users', { authRule: '@request.context = "password"' }, t.adminToken);
    expect(passwordOnly.status, JSON.stringify(passwordOnly.body)).toBe(200);
    const ok = await t.api('POST', '/api/collections/users/auth-with-password', { identity: alice.email, password: 'password123' });
    expect(ok.status).toBe(200);
    await t.api('PATCH', '/api/collections/users', { authRule: '@request.context = "oauth2"' }, t.adminToken);
    const refused = await t.api('POST', '/api/collections/users/auth-with-password', { identity: alice.email, password: 'password123' });
    expect(refused.status).toBe(403);
    await t.api('PATCH', '/api/collections/users', { authRule: '' }, t.adminToken);
  });

  it('takes no sub-path: `@request.context.x` is an invalid rule', async () => {
    const r = await t.api('POST', '/api/collections', { name: 'badctx', fields: [{ name: 'v', type: 'text' }], listRule: '@request.context.x = "a"' }, t.adminToken);
    expect(r.status).toBe(400);
    expect(r.body.data.listRule.code).toBe('validation_invalid_rule');
  });
});
