/**
 * The rule memo answers what a fresh compile answers: the same SQL and parameters for every
 * caller and body — values of one shape bound into the kept SQL, other shapes kept apart, and
 * rules whose values do not bind as given (patterns, lists, SQL from the caller's relations)
 * compiled per request. And the kept SQL runs to the same rows on a real schema.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestEnv, type TestEnv } from '../collections/test-support.ts';
import type { Collection } from '../collections/model.ts';
import { compileExpression } from './compile-expression.ts';
import { compileRule } from './rule-memo.ts';
import type { RequestInfo } from './request-info.ts';

let env: TestEnv;
let notes: Collection;

const info = (user: string | null, body: Record<string, unknown> = {}, extra: Partial<RequestInfo> = {}): RequestInfo => {
  const users = env.registry.get('users');
  const record = user ? env.db.get<Record<string, unknown>>('SELECT * FROM users WHERE id = ?', [user])! : null;
  return { auth: record ? { collection: users, record, isSuperuser: false } : null, method: 'POST', query: {}, headers: {}, body, ...extra };
};

beforeAll(async () => {
  env = openTestEnv();
  const teams = await env.service.create({ name: 'teams', fields: [{ name: 'name', type: 'text' }] });
  await env.service.create({ name: 'users', type: 'auth', fields: [{ name: 'team', type: 'relation', collectionId: teams.id, maxSelect: 1 }, { name: 'level', type: 'number' }] });
  notes = await env.service.create({
    name: 'notes',
    fields: [
      { name: 'owner', type: 'text' },
      { name: 'room', type: 'text' },
      { name: 'rank', type: 'number' },
      { name: 'tags', type: 'json' },
    ],
  });
  await env.service.create({ name: 'members', fields: [{ name: 'user', type: 'text' }, { name: 'room', type: 'text' }] });
  const insert = (table: string, row: Record<string, unknown>) => {
    const cols = Object.keys(row);
    env.db.run(`INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(',')}) VALUES (${cols.map(() => '?').join(',')})`, Object.values(row));
  };
  insert('teams', { id: 'redteam00000000', name: 'red' });
  insert('users', { id: 'ann000000000000', email: 'ann@x.io', team: 'redteam00000000', level: 3, tokenKey: 'k1', password: 'p' });
  insert('users', { id: 'ben000000000000', email: 'ben@x.io', team: '', level: 0, tokenKey: 'k2', password: 'p' });
  insert('members', { id: 'member100000000', user: 'ann000000000000', room: 'r1' });
  insert('members', { id: 'member200000000', user: 'ben000000000000', room: 'r2' });
  for (const [i, owner, room] of [[1, 'ann000000000000', 'r1'], [2, 'ben000000000000', 'r2'], [3, '', 'r1']] as const) {
    insert('notes', { id: `note${i}00000000000`, owner, room, rank: i, tags: '[]' });
  }
});
afterAll(() => env.close());

const RULES = [
  "@request.auth.id != ''",
  '@request.auth.id = owner',
  '@collection.members.user ?= @request.auth.id && @collection.members.room ?= @request.body.room',
  '@request.body.room = room && @request.body.rank > 1',
  "@request.body.owner ~ 'nn'",
  'owner ~ @request.body.owner',
  '@request.body.tags:each ?= room',
  '@request.auth.team.name = "red"',
  '@request.body.room:changed = false',
  "@request.method = 'POST' && @request.body.room:isset = true",
  '@request.auth.level >= 3 || room = @request.body.room',
  "created <= @now && @request.context != 'batch'",
];

const INFOS: Array<[string, () => RequestInfo]> = [
  ['ann, room r1', () => info('ann000000000000', { room: 'r1', rank: 2, owner: 'ann' })],
  ['ben, room r2', () => info('ben000000000000', { room: 'r2', rank: 1, owner: 'ben' })],
  ['ann, no body', () => info('ann000000000000')],
  ['ben, empty room', () => info('ben000000000000', { room: '', rank: 0 })],
  ['ann, null room', () => info('ann000000000000', { room: null })],
  ['ann, room as a number', () => info('ann000000000000', { room: 7 })],
  ['ann, a list', () => info('ann000000000000', { room: ['r1', 'r2'], tags: ['r1'] })],
  ['anonymous', () => info(null, { room: 'r1' })],
  ['ann, in a batch', () => info('ann000000000000', { room: 'r1' }, { context: 'batch' })],
  ['ann, a pattern', () => info('ann000000000000', { owner: '%n_' })],
];

describe('compileRule', () => {
  it.each(RULES)('%s: the SQL and parameters of a fresh compile, for every caller and body, twice over', (rule) => {
    for (let pass = 0; pass < 2; pass++) {
      for (const [, make] of INFOS) {
        const opts = { registry: env.registry, collection: notes, alias: 't', info: make() };
        const fresh = compileExpression(rule, { ...opts, trusted: true });
        const kept = compileRule(rule, opts);
        // @now moves between the two compiles at most by a second: compare it by shape.
        const norm = (f: typeof fresh) => f && { sql: f.sql, params: f.params.map((p) => (typeof p === 'string' && /^\d{4}-\d\d-\d\d /.test(p) ? 'a date' : p)) };
        expect(norm(kept)).toEqual(norm(fresh));
      }
    }
  });

  it('runs to the same rows as a fresh compile', () => {
    const rule = '@collection.members.user ?= @request.auth.id && @collection.members.room ?= @request.body.room && room = @request.body.room';
    const rows = (where: { sql: string; params: unknown[] } | null) => env.db.pluck<string>(`SELECT t.id FROM notes t WHERE ${where?.sql ?? '1'} ORDER BY t.id`, where?.params ?? []);
    for (const [, make] of INFOS) {
      const opts = { registry: env.registry, collection: notes, alias: 't', info: make() };
      compileRule(rule, opts);
      expect(rows(compileRule(rule, opts))).toEqual(rows(compileExpression(rule, { ...opts, trusted: true })));
    }
    const ann = rows(compileRule(rule, { registry: env.registry, collection: notes, alias: 't', info: info('ann000000000000', { room: 'r1' }) }));
    const annElsewhere = rows(compileRule(rule, { registry: env.registry, collection: notes, alias: 't', info: info('ann000000000000', { room: 'r2' }) }));
    expect(ann).toEqual(['note100000000000', 'note300000000000']);
    expect(annElsewhere).toEqual([]);
  });

  it('keeps the SQL text of one shape: two callers share it, with their own parameters', () => {
    const rule = '@request.auth.id = owner';
    const a = compileRule(rule, { registry: env.registry, collection: notes, alias: 't', info: info('ann000000000000') })!;
    const b = compileRule(rule, { registry: env.registry, collection: notes, alias: 't', info: info('ben000000000000') })!;
    expect(b.sql).toBe(a.sql);
    expect(a.params).toContain('ann000000000000');
    expect(b.params).toContain('ben000000000000');
    expect(b.params).not.toContain('ann000000000000');
  });
});
