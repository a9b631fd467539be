/**
 * Runs compiled filters against a real SQLite (node:sqlite) over a tiny posts table, so the
 * SQL is checked to be valid and the semantics (null/empty, LIKE escapes, any/all over sets)
 * are checked on data rather than on strings.
 */
import { DatabaseSync } from 'node:sqlite';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SQLInputValue } from 'node:sqlite';
import { compileFilter } from './compile-filter.ts';
import { testResolver } from './test-resolver.ts';

const POSTS = [
  { id: 'p1', title: 'Hello world', status: 'open', votes: 5, pinned: 1, author: 'u1', tags: '["a","b"]', body: 'world' },
  { id: 'p2', title: '50% off_now', status: '', votes: 0, pinned: 0, author: 'u2', tags: '["a"]', body: null },
  { id: 'p3', title: null, status: null, votes: -3, pinned: 0, author: null, tags: '[]', body: 'x' },
  { id: 'p4', title: 'back\\slash', status: 'closed', votes: 12, pinned: 1, author: 'u1', tags: '["b","c"]', body: 'SLASH' },
];

let db: DatabaseSync;

beforeAll(() => {
  db = new DatabaseSync(':memory:');
  db.exec(`
    CREATE TABLE posts (id TEXT PRIMARY KEY, title TEXT, status TEXT, votes NUMERIC, pinned BOOLEAN,
      author TEXT, tags JSON, body TEXT, created TEXT);
    CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT, kind TEXT);
    CREATE TABLE comments (id TEXT PRIMARY KEY, post TEXT, text TEXT, hidden BOOLEAN);
    INSERT INTO users VALUES ('u1', 'Ann', 'member'), ('u2', 'Bob', 'guest');
    INSERT INTO comments VALUES ('c1', 'p1', 'hi there', 0), ('c2', 'p1', 'spam', 1), ('c3', 'p4', 'ok', 0);
  `);
  const insert = db.prepare('INSERT INTO posts (id, title, status, votes, pinned, author, tags, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  for (const p of POSTS) insert.run(p.id, p.title, p.status, p.votes, p.pinned, p.author, p.tags, p.body);
});

function ids(filter: string): string[] {
  const { sql, params } = compileFilter(filter, testResolver);
  const rows = db.prepare(`SELECT "t"."id" AS id FROM posts "t" WHERE ${sql} ORDER BY "t"."id"`).all(...(params as SQLInputValue[]));
  return rows.map((r) => String(r.id));
}

describe('compiled filters on SQLite', () => {
  it.each<[string, string[]]>([
    ['title = "Hello world"', ['p1']],
    ['title != "Hello world"', ['p2', 'p3', 'p4']],
    ['status = null', ['p2', 'p3']],
    ['status = ""', ['p2', 'p3']],
    ['status != null', ['p1', 'p4']],
    ['votes > 0', ['p1', 'p4']],
    ['votes >= -3 && votes < 5', ['p2', 'p3']],
    ['pinned = true', ['p1', 'p4']],
    ['pinned = false', ['p2', 'p3']],
    ['title ~ "WORLD"', ['p1']],
    ['title ~ "%"', ['p1', 'p2', 'p4']],
    ['title ~ "50%"', ['p2']],
    ['title ~ "o_f"', []],
    ['title ~ "off_now"', ['p2']],
    ['title ~ "\\\\"', ['p4']],
    ['title !~ "o"', ['p4']],
    ['title ~ body', ['p1', 'p4']],
    ['author.name = "Ann"', ['p1', 'p4']],
    ['author.name = null', ['p2', 'p3']],
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
    ['tags ?= @request.body.tags', ['p1', 'p2']],
    ['@request.body.tags ?= "a" && votes > 4', ['p1', 'p4']],
    ['comments_via_post.text ?~ "hi"', ['p1']],
    ['comments_via_post.text ?~ "spam"', []],
    ['@request.auth.missing = "" && votes < 0', ['p3']],
    ['title = "x" || (pinned = true && votes > 6)', ['p4']],
  ])('%s', (filter, expected) => {
    expect(ids(filter)).toEqual(expected);
  });

  it('keeps hostile strings as data', () => {
    expect(ids(`title = "x' OR 1=1 --"`)).toEqual([]);
    expect(ids(`title = 'x" OR "1"="1'`)).toEqual([]);
    expect(ids('title ~ "\'); DROP TABLE posts; --"')).toEqual([]);
    expect(ids('votes > -1')).toEqual(['p1', 'p2', 'p4']);
  });
});
