/**
 * A list's total read again only when its table may have changed: asked repeatedly, after
 * creates and deletes through the API, after a row written straight through the database, under
 * a rule that reads another table, and after a schema change, totalItems is what a fresh count
 * gives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './harness.ts';
import { itSqliteOnly } from './sqlite-only.ts';

let t: TestServer;
const q = encodeURIComponent;

async function must(method: string, path: string, body?: unknown, token = t.adminToken): Promise<any> {
  const res = await t.api(method, path, body, token);
  if (res.status !== 200 && res.status !== 204) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** totalItems of a list as an anonymous client. */
const total = async (collection: string, filter = '') =>
  (await must('GET', `/api/collections/${collection}/records?perPage=1${filter ? `&filter=${q(filter)}` : ''}`, undefined, '')).totalItems as number;

beforeAll(async () => {
  t = await startServer();
  await must('POST', '/api/collections', {
    name: 'flags',
    fields: [{ name: 'on', type: 'bool' }],
    listRule: '',
    viewRule: '',
  });
  const flags = t.server.registry.get('flags');
  await must('POST', '/api/collections', {
    name: 'notes',
    fields: [
      { name: 'kind', type: 'text' },
      { name: 'flag', type: 'relation', collectionId: flags.id, maxSelect: 1 },
    ],
    listRule: '',
    viewRule: '',
  });
  // Visible only while some flag is on: the rule reads another table.
  await must('POST', '/api/collections', {
    name: 'gated',
    fields: [{ name: 'kind', type: 'text' }],
    listRule: '@collection.flags.on ?= true',
    viewRule: '',
  });
  for (const kind of ['a', 'a', 'b']) await must('POST', '/api/collections/notes/records', { kind });
  await must('POST', '/api/collections/gated/records', { kind: 'a' });
});
afterAll(() => t.close());

describe('list totals', () => {
  it('repeat, then follow creates and deletes', async () => {
    for (let i = 0; i < 3; i++) {
      expect(await total('notes')).toBe(3);
      expect(await total('notes', "kind = 'a'")).toBe(2);
      expect(await total('notes', "kind = 'b'")).toBe(1);
    }
    const created = await must('POST', '/api/collections/notes/records', { kind: 'a' });
    expect(await total('notes')).toBe(4);
    expect(await total('notes', "kind = 'a'")).toBe(3);
    expect(await total('notes', "kind = 'b'")).toBe(1);
    await must('DELETE', `/api/collections/notes/records/${created.id}`);
    expect(await total('notes')).toBe(3);
    expect(await total('notes', "kind = 'a'")).toBe(2);
  });

  it('follow an update that moves a record between filters', async () => {
    expect(await total('notes', "kind = 'b'")).toBe(1);
    const page = await must('GET', `/api/collections/notes/records?filter=${q("kind = 'b'")}`);
    await must('PATCH', `/api/collections/notes/records/${page.items[0].id}`, { kind: 'a' });
    expect(await total('notes', "kind = 'b'")).toBe(0);
    expect(await total('notes', "kind = 'a'")).toBe(3);
    await must('PATCH', `/api/collections/notes/records/${page.items[0].id}`, { kind: 'b' });
    expect(await total('notes', "kind = 'b'")).toBe(1);
  });

  itSqliteOnly('follow a row written straight through the database', 'the synchronous SqlDb', async () => {
    expect(await total('notes', "kind = 'c'")).toBe(0);
    t.server.db.run(`INSERT INTO "notes" ("id", "kind") VALUES ('cccccccccccccc1', 'c')`);
    expect(await total('notes', "kind = 'c'")).toBe(1);
    t.server.db.run(`DELETE FROM "notes" WHERE "id" = 'cccccccccccccc1'`);
    expect(await total('notes', "kind = 'c'")).toBe(0);
  });

  it('under a rule that reads another table, follow writes to that table', async () => {
    expect(await total('gated')).toBe(0);
    const flag = await must('POST', '/api/collections/flags/records', { on: true });
    expect(await total('gated')).toBe(1);
    await must('PATCH', `/api/collections/flags/records/${flag.id}`, { on: false });
    expect(await total('gated')).toBe(0);
  });

  it('follow a schema change', async () => {
    expect(await total('notes')).toBe(3);
    await must('PATCH', '/api/collections/notes', { listRule: "kind = 'a'" });
    expect(await total('notes')).toBe(2);
    await must('PATCH', '/api/collections/notes', { listRule: '' });
    expect(await total('notes')).toBe(3);
  });
});
