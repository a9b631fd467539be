/**
 * A list's compiled filter and sort are reused per collection version and query text: the same
 * texts asked again, by a caller of another standing, after a schema change, or with macros and
 * joins (which compile per request) answer exactly as a first compile would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './harness.ts';

let t: TestServer;
const q = encodeURIComponent;
const list = (filter: string, sort = '-rank', token?: string) =>
  t.api('GET', `/api/collections/notes/records?filter=${q(filter)}&sort=${q(sort)}`, undefined, token);
const titles = (body: { items: { title: string }[] }) => body.items.map((r) => r.title);

beforeAll(async () => {
  t = await startServer();
  const tags = await t.api('POST', '/api/collections', { name: 'tags', fields: [{ name: 'label', type: 'text' }], listRule: '', viewRule: '' }, t.adminToken);
  expect(tags.status, JSON.stringify(tags.body)).toBe(200);
  const notes = await t.api(
    'POST',
    '/api/collections',
    {
      name: 'notes',
      fields: [
        { name: 'title', type: 'text' },
        { name: 'rank', type: 'number' },
        { name: 'secret', type: 'text' },
        { name: 'tag', type: 'relation', collectionId: tags.body.id, maxSelect: 1 },
      ],
      listRule: '',
    },
    t.adminToken,
  );
  expect(notes.status, JSON.stringify(notes.body)).toBe(200);
  const tag = await t.api('POST', '/api/collections/tags/records', { label: 'red' }, t.adminToken);
  for (const [title, rank, secret] of [['a', 1, 'x'], ['b', 2, 'y'], ['c', 3, 'x']] as const) {
    const r = await t.api('POST', '/api/collections/notes/records', { title, rank, secret, tag: title === 'b' ? tag.body.id : '' }, t.adminToken);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }
});
afterAll(() => t.close());

describe('compiled list queries reused', () => {
  it('the same filter and sort answer the same rows every time', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await list("secret = 'x'");
      expect(r.status).toBe(200);
      expect(titles(r.body)).toEqual(['c', 'a']);
      expect(r.body.totalItems).toBe(2);
    }
    expect(titles((await list("secret = 'x'", 'rank')).body)).toEqual(['a', 'c']);
    expect(titles((await list("secret = 'y'")).body)).toEqual(['b']);
  });

  it('a field hidden after its filter was compiled is refused to clients and still open to superusers', async () => {
    expect((await list("secret = 'x'")).status).toBe(200);
    const col = (await t.api('GET', '/api/collections/notes', undefined, t.adminToken)).body;
    const fields = col.fields.map((f: { name: string }) => (f.name === 'secret' ? { ...f, hidden: true } : f));
    expect((await t.api('PATCH', '/api/collections/notes', { fields }, t.adminToken)).status).toBe(200);
    expect((await list("secret = 'x'")).status).toBe(400);
    const asSuperuser = await list("secret = 'x'", '-rank', t.adminToken);
    expect(asSuperuser.status).toBe(200);
    expect(titles(asSuperuser.body)).toEqual(['c', 'a']);
    // The client is refused again after the superuser's compile of the same texts.
    expect((await list("secret = 'x'")).status).toBe(400);
    const shown = col.fields.map((f: { name: string }) => (f.name === 'secret' ? { ...f, hidden: false } : f));
    expect((await t.api('PATCH', '/api/collections/notes', { fields: shown }, t.adminToken)).status).toBe(200);
    expect(titles((await list("secret = 'x'")).body)).toEqual(['c', 'a']);
  });

  it('a listRule changed after a filter was compiled applies on the next request', async () => {
    expect(titles((await list("secret = 'x'")).body)).toEqual(['c', 'a']);
    expect((await t.api('PATCH', '/api/collections/notes', { listRule: 'rank > 1' }, t.adminToken)).status).toBe(200);
    expect(titles((await list("secret = 'x'")).body)).toEqual(['c']);
    expect((await t.api('PATCH', '/api/collections/notes', { listRule: '' }, t.adminToken)).status).toBe(200);
  });

  it('filters through a relation and with macros compile per request', async () => {
    for (let i = 0; i < 2; i++) {
      const joined = await list("tag.label = 'red'");
      expect(joined.status).toBe(200);
      expect(titles(joined.body)).toEqual(['b']);
      expect(titles((await list("created <= @now && secret = 'x'")).body)).toEqual(['c', 'a']);
    }
    // @request in a client filter is for superusers only, memoised or not.
    expect((await list("@request.method = 'GET'")).status).toBe(403);
    expect(titles((await list("@request.method = 'GET' && secret = 'y'", '-rank', t.adminToken)).body)).toEqual(['b']);
  });

  it('an invalid filter stays a 400 when asked again', async () => {
    expect((await list("nope = 'x'")).status).toBe(400);
    expect((await list("nope = 'x'")).status).toBe(400);
    expect((await list("secret = 'x'", 'nope')).status).toBe(400);
  });
});
