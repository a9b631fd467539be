/**
 * The filter compiler's output for each dialect, run on both engines over the same rows: every
 * filter in the matrix must select the same records on SQLite and on PostgreSQL. The resolver
 * below writes its JSON SQL through the dialect, as the schema-aware resolver is meant to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badRequest } from '../../src/shared/errors.ts';
import { compileFilter, type FieldResolver, type Identifier, type Resolved } from '../../src/query/index.ts';
import type { Dialect, SqlEngine } from '../../src/db/index.ts';
import { START_TIMEOUT, startBothEngines, type BothEngines } from './both-engines.ts';

const COLUMNS = ['id', 'title', 'status', 'votes', 'pinned', 'author', 'body'];

function resolverFor(d: Dialect): FieldResolver {
  return {
    resolve(id: Identifier): Resolved {
      const name = id.path.join('.');
      if (name === '@request.auth.id') return { kind: 'value', value: 'u1' };
      if (name === '@request.auth.missing') return { kind: 'value', value: null };
      if (name === '@request.body.tags') return { kind: 'value', value: ['a', 'b"; DROP TABLE x; --'] };
      if (name === 'tags' && id.modifier === 'length') return { kind: 'expr', sql: d.jsonArrayLength('"t"."tags"'), params: [] };
      if (name === 'tags') return { kind: 'set', sql: `SELECT je.value AS v FROM ${d.jsonEach('"t"."tags"', 'je')}`, params: [] };
      if (name === 'meta.level') return { kind: 'expr', sql: d.jsonExtract('"t"."meta"', ['level']), params: [] };
      if (name === 'author.name') {
        return { kind: 'expr', sql: '(SELECT "u"."name" FROM "users" "u" WHERE "u"."id" = "t"."author" AND "u"."kind" = ? LIMIT 1)', params: ['member'] };
      }
      if (name === 'comments_via_post.text') {
        return { kind: 'set', sql: 'SELECT "c"."text" AS v FROM "comments" "c" WHERE "c"."post" = "t"."id" AND "c"."hidden" = ?', params: [0] };
      }
      if (id.path.length === 1 && COLUMNS.includes(name)) {
        return { kind: 'expr', sql: id.modifier === 'lower' ? `LOWER("t"."${name}")` : `"t"."${name}"`, params: [] };
      }
      throw badRequest(`Unknown field "${id.raw}"`);
    },
  };
}

const POSTS: unknown[][] = [
  ['p1', 'Hello world', 'open', 5, 1, 'u1', '["a","b"]', 'world', '{"level":"high"}'],
  ['p2', '50% off_now', '', 0, 0, 'u2', '["a"]', null, null],
  ['p3', null, null, -3, 0, null, '[]', 'x', '{"level":"low"}'],
  ['p4', 'back\\slash', 'closed', 12, 1, 'u1', '["b","c"]', 'SLASH', '{}'],
];

async function seed(db: SqlEngine): Promise<void> {
  const d = db.dialect;
  await db.exec(`
    CREATE TABLE posts (id ${d.columnType('textPrimaryKey')}, title TEXT, status TEXT, votes ${d.columnType('number')},
      pinned ${d.columnType('bool')}, author TEXT, tags ${d.columnType('jsonList')}, body TEXT, meta ${d.columnType('json')});
    CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT, kind TEXT);
    CREATE TABLE comments (id TEXT PRIMARY KEY, post TEXT, text TEXT, hidden ${d.columnType('bool')});`);
  await db.transaction(async (tx) => {
    for (const p of POSTS) {
      await tx.run('INSERT INTO posts (id, title, status, votes, pinned, author, tags, body, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', p);
    }
    for (const u of [['u1', 'Ann', 'member'], ['u2', 'Bob', 'guest']]) await tx.run('INSERT INTO users VALUES (?, ?, ?)', u);
    for (const c of [['c1', 'p1', 'hi there', 0], ['c2', 'p1', 'spam', 1], ['c3', 'p4', 'ok', 0]]) {
      await tx.run('INSERT INTO comments VALUES (?, ?, ?, ?)', c);
    }
  });
}

let engines: BothEngines;

beforeAll(async () => {
  engines = await startBothEngines();
  await seed(engines.sqlite);
  await seed(engines.postgres);
}, START_TIMEOUT);

afterAll(async () => engines?.close());

async function ids(db: SqlEngine, filter: string): Promise<string[]> {
  const { sql, params } = compileFilter(filter, resolverFor(db.dialect), { dialect: db.dialect });
  const rows = await db.all<{ id: string }>(`SELECT "t"."id" AS id FROM posts "t" WHERE ${sql} ORDER BY "t"."id"`, params);
  return rows.map((r) => r.id);
}

const MATRIX: [string, string[]][] = [
  ['title = "Hello world"', ['p1']],
  ['title != "Hello world"', ['p2', 'p3', 'p4']],
  ['status = null', ['p2', 'p3']],
  ['status = ""', ['p2', 'p3']],
  ['status != null', ['p1', 'p4']],
  ['votes > 0', ['p1', 'p4']],
  ['votes >= -3 && votes < 5', ['p2', 'p3']],
  ['votes = "5"', ['p1']],
  ['votes = ""', []],
  ['votes ~ "1"', ['p4']],
  ['pinned = true', ['p1', 'p4']],
  ['pinned = false', ['p2', 'p3']],
  ['pinned != null', ['p1', 'p2', 'p3', 'p4']],
  ['title ~ "WORLD"', ['p1']],
  ['title ~ "%"', ['p1', 'p2', 'p4']],
  ['title ~ "50%"', ['p2']],
  ['title ~ "o_f"', []],
  ['title ~ "off_now"', ['p2']],
  ['title ~ "\\\\"', ['p4']],
  ['title !~ "o"', ['p4']],
  ['title ~ body', ['p1', 'p4']],
  ['title:lower = "hello world"', ['p1']],
  ['author.name = "Ann"', ['p1', 'p4']],
  ['author.name = null', ['p2', 'p3']],
  ['author = @request.auth.id', ['p1', 'p4']],
  ['tags ?= "a"', ['p1', 'p2']],
  ['tags = "a"', ['p2']],
  ['tags != "a"', ['p3', 'p4']],
  ['tags ?!= "a"', ['p1', 'p4']],
  ['tags ~ "b"', []],
  ['tags ?~ "c"', ['p4']],
  ['tags >= "a"', ['p1', 'p2', 'p4']],
  ['tags > "a"', ['p4']],
  ['tags !~ "c"', ['p1', 'p2', 'p3']],
  ['tags:length = 0', ['p3']],
  ['tags:length >= 2', ['p1', 'p4']],
  ['tags ?= @request.body.tags', ['p1', 'p2']],
  ['@request.body.tags ?= "a" && votes > 4', ['p1', 'p4']],
  ['comments_via_post.text ?~ "hi"', ['p1']],
  ['comments_via_post.text ?~ "spam"', []],
  ['meta.level = "high"', ['p1']],
  ['meta.level = null', ['p2', 'p4']],
  ['@request.auth.missing = "" && votes < 0', ['p3']],
  ['@request.auth.id != "" && pinned = true', ['p1', 'p4']],
  ['title = "x" || (pinned = true && votes > 6)', ['p4']],
  [`title = "x' OR 1=1 --"`, []],
  ['title ~ "\'); DROP TABLE posts; --"', []],
];

describe.each(['sqlite', 'postgres'] as const)('compiled filters on %s', (name) => {
  it.each(MATRIX)('%s', async (filter, expected) => {
    expect(await ids(engines[name], filter)).toEqual(expected);
  });
});
