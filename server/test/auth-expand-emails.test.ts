/**
 * Emails of auth records reached through `expand`, as PocketBase resolves them: hidden unless
 * `emailVisibility` is on, the caller is that record, or the caller passes that record's own
 * collection's manageRule. Being a manager of one collection shows nothing more of another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './harness.ts';

let t: TestServer;
const ids: Record<string, string> = {};
const tokens: Record<string, string> = {};

async function must(method: string, path: string, body?: unknown): Promise<any> {
  const res = await t.api(method, path, body, t.adminToken);
  if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

beforeAll(async () => {
  t = await startServer({ passwordParams: { N: 2 ** 12, r: 8, p: 1 } });
  await must('PATCH', '/api/collections/users', { listRule: '', viewRule: '', manageRule: null });
  await must('POST', '/api/collections', {
    name: 'staff',
    type: 'auth',
    fields: [{ name: 'owner', type: 'relation', collectionId: t.server.registry.get('users').id, maxSelect: 1 }],
    listRule: '',
    viewRule: '',
    manageRule: 'owner = @request.auth.id',
  });
  const user = (email: string) => must('POST', '/api/collections/users/records', { email, password: 'pass-12345678', passwordConfirm: 'pass-12345678' });
  ids.boss = (await user('boss@example.com')).id;
  ids.other = (await user('other@example.com')).id;
  ids.staff = (await must('POST', '/api/collections/staff/records', { email: 'staff@example.com', password: 'pass-12345678', passwordConfirm: 'pass-12345678', owner: ids.boss })).id;
  await must('POST', '/api/collections', {
    name: 'tasks',
    fields: [
      { name: 'assignee', type: 'relation', collectionId: t.server.registry.get('staff').id, maxSelect: 1 },
      { name: 'creator', type: 'relation', collectionId: t.server.registry.get('users').id, maxSelect: 1 },
    ],
    listRule: '',
    viewRule: '',
  });
  ids.task = (await must('POST', '/api/collections/tasks/records', { assignee: ids.staff, creator: ids.other })).id;
  for (const [name, collection] of [['boss', 'users'], ['other', 'users'], ['staff', 'staff']] as const) {
    tokens[name] = (await must('POST', `/api/collections/${collection}/impersonate/${ids[name]}`, {})).token;
  }
});
afterAll(() => t?.close());

async function expanded(token?: string): Promise<{ assignee: Record<string, unknown>; creator: Record<string, unknown> }> {
  const res = await t.api('GET', `/api/collections/tasks/records/${ids.task}?expand=assignee,creator`, undefined, token);
  expect(res.status).toBe(200);
  return res.body.expand;
}

describe('emails of expanded auth records', () => {
  it("shows an expanded record's email to a manager its manageRule admits, and only that one", async () => {
    const seen = await expanded(tokens.boss);
    expect(seen.assignee.email).toBe('staff@example.com');
    // users has no manageRule: being a manager of staff shows nothing of users
    expect(seen.creator.email).toBeUndefined();
  });

  it('hides it from callers the rule does not admit', async () => {
    expect((await expanded(tokens.other)).assignee.email).toBeUndefined();
    expect((await expanded()).assignee.email).toBeUndefined();
  });

  it('shows the caller their own email, and everyone an email with emailVisibility on', async () => {
    expect((await expanded(tokens.other)).creator.email).toBe('other@example.com');
    expect((await expanded(tokens.staff)).assignee.email).toBe('staff@example.com');
    await must('PATCH', `/api/collections/users/records/${ids.other}`, { emailVisibility: true });
    expect((await expanded()).creator.email).toBe('other@example.com');
  });

  it('also applies to records listed in the collection itself', async () => {
    const res = await t.api('GET', `/api/collections/staff/records/${ids.staff}`, undefined, tokens.boss);
    expect(res.body.email).toBe('staff@example.com');
    expect((await t.api('GET', `/api/collections/staff/records/${ids.staff}`, undefined, tokens.other)).body.email).toBeUndefined();
  });
});
