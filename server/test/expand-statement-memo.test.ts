/**
 * Expand reads keep their statement text per target collection version, relation shape and
 * rule: callers the viewRule treats differently, two back-relations of one source collection,
 * nested and repeated expands, and a viewRule changed between requests each answer exactly what
 * a freshly built statement would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './harness.ts';

let t: TestServer;
const ids: Record<string, string> = {};
const tokens: Record<string, string> = {};

async function must(method: string, path: string, body?: unknown, token = t.adminToken): Promise<any> {
  const res = await t.api(method, path, body, token);
  if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const posts = (expand: string, token?: string) => must('GET', `/api/collections/posts/records?sort=title&expand=${encodeURIComponent(expand)}`, undefined, token);

beforeAll(async () => {
  t = await startServer({ passwordParams: { N: 2 ** 12, r: 8, p: 1 } });
  const usersId = t.server.registry.get('users').id;
  for (const name of ['ann', 'bob']) {
    const email = `${name}@example.com`;
    ids[name] = (await must('POST', '/api/collections/users/records', { email, password: 'pass-12345678', passwordConfirm: 'pass-12345678' })).id;
    tokens[name] = (await must('POST', '/api/collections/users/auth-with-password', { identity: email, password: 'pass-12345678' }, '')).token;
  }
  // Notes are visible to their owner only: the rule's SQL is the same for both callers, its value not.
  const notes = await must('POST', '/api/collections', {
    name: 'notes',
    fields: [
      { name: 'text', type: 'text' },
      { name: 'owner', type: 'relation', collectionId: usersId, maxSelect: 1 },
    ],
    listRule: '',
    viewRule: 'owner = @request.auth.id',
  });
  const postsCol = await must('POST', '/api/collections', {
    name: 'posts',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'note', type: 'relation', collectionId: notes.id, maxSelect: 1 },
    ],
    listRule: '',
    viewRule: '',
  });
  await must('POST', '/api/collections', {
    name: 'links',
    fields: [
      { name: 'label', type: 'text' },
      { name: 'from', type: 'relation', collectionId: postsCol.id, maxSelect: 1 },
      { name: 'to', type: 'relation', collectionId: postsCol.id, maxSelect: 1 },
    ],
    listRule: '',
    viewRule: '',
  });
  ids.annNote = (await must('POST', '/api/collections/notes/records', { text: 'ann note', owner: ids.ann })).id;
  ids.bobNote = (await must('POST', '/api/collections/notes/records', { text: 'bob note', owner: ids.bob })).id;
  ids.p1 = (await must('POST', '/api/collections/posts/records', { title: 'p1', note: ids.annNote })).id;
  ids.p2 = (await must('POST', '/api/collections/posts/records', { title: 'p2', note: ids.bobNote })).id;
  await must('POST', '/api/collections/links/records', { label: 'p1→p2', from: ids.p1, to: ids.p2 });
});
afterAll(() => t.close());

type Item = { title: string; expand?: Record<string, any> };
const noteTexts = (body: { items: Item[] }) => body.items.map((r) => r.expand?.note?.text ?? null);

describe('expand statements reused', () => {
  it('each caller sees the related records the viewRule admits for them, alternately asked', async () => {
    for (let i = 0; i < 2; i++) {
      expect(noteTexts(await posts('note', tokens.ann))).toEqual(['ann note', null]);
      expect(noteTexts(await posts('note', tokens.bob))).toEqual([null, 'bob note']);
      expect(noteTexts(await posts('note', ''))).toEqual([null, null]);
      expect(noteTexts(await posts('note', t.adminToken))).toEqual(['ann note', 'bob note']);
    }
  });

  it('two back-relations of one source collection read their own columns', async () => {
    for (let i = 0; i < 2; i++) {
      const body = await posts('links_via_from,links_via_to', '');
      const [p1, p2] = body.items as Item[];
      expect(p1!.expand?.links_via_from?.map((l: { label: string }) => l.label)).toEqual(['p1→p2']);
      expect(p1!.expand?.links_via_to).toBeUndefined();
      expect(p2!.expand?.links_via_to?.map((l: { label: string }) => l.label)).toEqual(['p1→p2']);
      expect(p2!.expand?.links_via_from).toBeUndefined();
    }
  });

  it('a nested expand under a back-relation applies the inner target rule', async () => {
    const body = await posts('links_via_from.to.note', tokens.bob);
    const link = (body.items as Item[])[0]!.expand?.links_via_from?.[0];
    expect(link?.expand?.to?.id).toBe(ids.p2);
    expect(link?.expand?.to?.expand?.note?.text).toBe('bob note');
    const asAnn = await posts('links_via_from.to.note', tokens.ann);
    expect((asAnn.items as Item[])[0]!.expand?.links_via_from?.[0]?.expand?.to?.expand).toBeUndefined();
  });

  it('a viewRule changed after its statement was built applies at once', async () => {
    expect(noteTexts(await posts('note', tokens.ann))).toEqual(['ann note', null]);
    await must('PATCH', '/api/collections/notes', { viewRule: '' });
    expect(noteTexts(await posts('note', tokens.ann))).toEqual(['ann note', 'bob note']);
    await must('PATCH', '/api/collections/notes', { viewRule: null });
    expect(noteTexts(await posts('note', tokens.ann))).toEqual([null, null]);
    expect(noteTexts(await posts('note', t.adminToken))).toEqual(['ann note', 'bob note']);
    await must('PATCH', '/api/collections/notes', { viewRule: 'owner = @request.auth.id' });
    expect(noteTexts(await posts('note', tokens.bob))).toEqual([null, 'bob note']);
  });
});
