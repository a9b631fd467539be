/**
 * Rules that depend on the caller compile to one SQL statement: `@request.auth.<relation>.<field>`
 * becomes a scalar subquery anchored at the caller's row, and `@collection.X.*` one EXISTS over X
 * correlated with the outer row — never a loop in JavaScript. Checked both by the SQL's shape and
 * by running it on a real schema built by collections/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestEnv, type TestEnv } from '../collections/test-support.ts';
import { compileExpression, type RequestInfo } from '../rules/index.ts';
import type { Collection } from '../collections/model.ts';

let env: TestEnv;
let posts: Collection;
const ids: Record<string, string> = {};

const caller = (userKey: string | null): RequestInfo => {
  const users = env.registry.get('users');
  const record = userKey ? env.db.get<Record<string, unknown>>('SELECT * FROM users WHERE id = ?', [ids[userKey]])! : null;
  return { auth: record ? { collection: users, record, isSuperuser: false } : null, method: 'GET', query: {}, headers: {}, body: {} };
};

function visible(rule: string, who: string | null): string[] {
  const where = compileExpression(rule, { registry: env.registry, collection: posts, alias: 't', info: caller(who), trusted: true })!;
  return env.db.pluck<string>(`SELECT t.title FROM posts t WHERE ${where.sql} ORDER BY t.title`, where.params);
}

beforeAll(async () => {
  env = openTestEnv();
  const teams = await env.service.create({ name: 'teams', fields: [{ name: 'name', type: 'text' }] });
  await env.service.create({ name: 'users', type: 'auth', fields: [{ name: 'team', type: 'relation', collectionId: teams.id, maxSelect: 1 }] });
  posts = await env.service.create({
    name: 'posts',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'team', type: 'relation', collectionId: teams.id, maxSelect: 1 },
    ],
  });
  await env.service.create({
    name: 'members',
    fields: [
      { name: 'user', type: 'relation', collectionId: env.registry.get('users').id, maxSelect: 1 },
      { name: 'post', type: 'relation', collectionId: posts.id, maxSelect: 1 },
    ],
  });
  const insert = (table: string, row: Record<string, unknown>) => {
    const cols = Object.keys(row);
    env.db.run(`INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(',')}) VALUES (${cols.map(() => '?').join(',')})`, Object.values(row));
  };
  insert('teams', { id: (ids.red = 'redteam00000000'), name: 'red' });
  insert('teams', { id: (ids.blue = 'blueteam0000000'), name: 'blue' });
  insert('users', { id: (ids.ann = 'ann000000000000'), email: 'ann@x.io', team: ids.red, tokenKey: 'k1', password: 'p' });
  insert('users', { id: (ids.ben = 'ben000000000000'), email: 'ben@x.io', team: ids.blue, tokenKey: 'k2', password: 'p' });
  insert('posts', { id: (ids.p1 = 'post10000000000'), title: 'red post', team: ids.red });
  insert('posts', { id: (ids.p2 = 'post20000000000'), title: 'blue post', team: ids.blue });
  insert('posts', { id: (ids.p3 = 'post30000000000'), title: 'no team', team: '' });
  insert('members', { id: 'member100000000', user: ids.ben, post: ids.p1 });
});
afterAll(() => env.close());

describe('@request.auth relation paths', () => {
  const rule = 'team != "" && team.name = @request.auth.team.name';

  it('compile to a subquery anchored at the caller row (one statement, caller id bound)', () => {
    const where = compileExpression(rule, { registry: env.registry, collection: posts, alias: 't', info: caller('ann'), trusted: true })!;
    expect(where.sql).toMatch(/\(SELECT __r\d+\."name" AS v FROM "users" __a\d+, "teams" __r\d+ WHERE __a\d+\."id" = \? AND __r\d+\."id" = __a\d+\."team" LIMIT 1\)/);
    expect(where.params).toContain(ids.ann);
  });

  it('select by the caller', () => {
    expect(visible(rule, 'ann')).toEqual(['red post']);
    expect(visible(rule, 'ben')).toEqual(['blue post']);
    expect(visible(rule, null)).toEqual([]);
    expect(visible('team = @request.auth.team.id', 'ann')).toEqual(['red post']);
  });

  it('are null for a caller whose collection lacks the field (no error)', async () => {
    const admins = await env.service.create({ name: 'admins', type: 'auth', fields: [] });
    const info: RequestInfo = { auth: { collection: admins, record: { id: 'x' }, isSuperuser: false }, method: 'GET', query: {}, headers: {}, body: {} };
    const where = compileExpression(rule, { registry: env.registry, collection: posts, alias: 't', info, trusted: true })!;
    expect(env.db.pluck(`SELECT t.title FROM posts t WHERE ${where.sql}`, where.params)).toEqual([]);
  });
});

describe('@collection references', () => {
  const rule = '@collection.members.user ?= @request.auth.id && @collection.members.post ?= id';

  it('compile to one EXISTS correlated with the outer row', () => {
    const where = compileExpression(rule, { registry: env.registry, collection: posts, alias: 't', info: caller('ben'), trusted: true })!;
    expect(where.sql.startsWith('EXISTS (SELECT 1 FROM "members" __c')).toBe(true);
    expect(where.sql).toContain('t."id"');
    expect(where.sql.match(/EXISTS/g)).toHaveLength(1 + (where.sql.match(/EXISTS \(SELECT 1 FROM json_each/g)?.length ?? 0));
  });

  it('mean "one members row matches both"', () => {
    expect(visible(rule, 'ben')).toEqual(['red post']);
    expect(visible(rule, 'ann')).toEqual([]);
    expect(visible(rule, null)).toEqual([]);
  });
});
