/**
 * PocketBase's `apis/sql_test.go` scenarios (`POST /api/sql`, the superuser SQL runner), plus
 * Hearth's limits on it: the time budget (a runaway script is stopped, its writes rolled back, and
 * the server keeps answering), the row cap, and malformed input answered with a 400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../harness.ts';
import { runScenarios, target, type Scenario, type ScenarioTarget } from './scenario.ts';

const LIGHT_SCRYPT = { N: 2 ** 12, r: 8, p: 1 };
/** Short enough to wait for in a test; the default is SQL_BUDGET_MS. */
const TEST_BUDGET_MS = 800;

let shared: ScenarioTarget & { close(): Promise<void> };

async function start(): Promise<ScenarioTarget & { close(): Promise<void> }> {
  const s = await startServer({ passwordParams: LIGHT_SCRYPT, sql: { budgetMs: TEST_BUDGET_MS } });
  await s.api('POST', '/api/collections/users/records', { id: 'oap640cot4yru2s', email: 'test2@example.com', password: '1234567890', passwordConfirm: '1234567890' }, s.adminToken);
  const user = await s.api('POST', '/api/collections/users/auth-with-password', { identity: 'test2@example.com', password: '1234567890' });
  return { ...target(s.url, { superuser: s.adminToken, user: user.body.token }), close: () => s.close() };
}

beforeAll(async () => {
  shared = await start();
});
afterAll(() => shared?.close());

const hasTable = async (target: ScenarioTarget, name: string): Promise<boolean> => {
  const res = await target.api('POST', '/api/sql', { query: `select count(*) from sqlite_master where type = 'table' and name = '${name}'` }, 'superuser');
  expect(res.status).toBe(200);
  return res.json.rows[0][0] === '1';
};

const sql = (query: string, rest: Omit<Scenario, 'method' | 'url' | 'body'>): Scenario => ({ method: 'POST', url: '/api/sql', body: { query }, ...rest });

describe('POST /api/sql (TestSQLRun)', () => {
  runScenarios(
    [
      sql('select 1', { name: 'guest', status: 401, expect: ['"data":{}'] }),
      sql('select 1', { name: 'regular user', auth: 'user', status: 403, expect: ['"data":{}'] }),
      sql('select 1', {
        name: 'superuser',
        auth: 'superuser',
        status: 200,
        expect: ['"execTime":', '"affectedRows":0', '"columns":[{"name":"1","type":"","nullable":true}]', '"rows":[["1"]]'],
      }),
      sql('', { name: 'empty query', auth: 'superuser', status: 400, expect: ['"data":{', '"query":{'] }),
      sql('invalid', { name: 'invalid query', auth: 'superuser', status: 400, expect: ['"data":{}', 'Raw error:', 'SQL logic error'] }),
      sql('a'.repeat(5001), { name: 'query with length above the limit', auth: 'superuser', status: 400, expect: ['"data":{', '"query":{'] }),
      sql(`select '${'a'.repeat(4985)}' as id`, {
        name: 'query with length equal to the limit',
        auth: 'superuser',
        status: 200,
        expect: ['"execTime":', '"affectedRows":0', '"columns":[{"name":"id","type":"","nullable":true}]', '"rows":[["aaa'],
      }),
      sql('create table test_sql_table(id int primary key)', {
        name: 'single write query',
        auth: 'superuser',
        fresh: true,
        status: 200,
        expect: ['"execTime":', '"affectedRows":0', '"columns":[]', '"rows":[]'],
        after: async (_res, target) => expect(await hasTable(target, 'test_sql_table')).toBe(true),
      }),
      sql('create table test_sql_table(id int primary key);insert into test_sql_table(id)VALUES(1)', {
        name: 'multiple write queries',
        auth: 'superuser',
        fresh: true,
        status: 200,
        expect: ['"execTime":', '"affectedRows":1', '"columns":[]', '"rows":[]'],
        after: async (_res, target) => {
          const res = await target.api('POST', '/api/sql', { query: 'select count(*) from test_sql_table' }, 'superuser');
          expect(res.json.rows).toEqual([['1']]);
        },
      }),
      sql('create table test_sql_table(id int primary key);insert into test_sql_table(id)VALUES(1);invalid', {
        name: 'multiple write queries (transaction rollback)',
        auth: 'superuser',
        fresh: true,
        status: 400,
        expect: ['"data":{}', 'Raw error:', 'SQL logic error'],
        after: async (_res, target) => expect(await hasTable(target, 'test_sql_table')).toBe(false),
      }),
      sql('select 1;select 2', {
        name: 'multiple read queries',
        auth: 'superuser',
        status: 200,
        expect: ['"execTime":', '"affectedRows":0', '"columns":[{"name":"2","type":"","nullable":true}]', '"rows":[["2"]]'],
      }),
    ],
    () => shared,
    start,
  );
});

describe('POST /api/sql: Hearth limits and edge cases', () => {
  it('returns at most SQL_MAX_ROWS (1000) rows', async () => {
    const res = await shared.api('POST', '/api/sql', { query: 'with recursive c(x) as (select 1 union all select x + 1 from c limit 1500) select x from c' }, 'superuser');
    expect(res.status).toBe(200);
    expect(res.json.rows).toHaveLength(1000);
    expect(res.json.rows[999]).toEqual(['1000']);
  });

  it('reports declared column types, integers as exact strings and NULL as null', async () => {
    const res = await shared.api('POST', '/api/sql', { query: 'select id, 9007199254740993 as big, null as none_, 1.5 as half from _collections limit 1' }, 'superuser');
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.columns).toEqual([
      { name: 'id', type: 'TEXT', nullable: true },
      { name: 'big', type: '', nullable: true },
      { name: 'none_', type: '', nullable: true },
      { name: 'half', type: '', nullable: true },
    ]);
    expect(res.json.rows[0].slice(1)).toEqual(['9007199254740993', null, '1.5']);
  });

  it('keeps semicolons inside strings, comments and trigger bodies', async () => {
    const query = [
      "create table sql_t(v text); -- a comment; with a semicolon",
      'create table sql_log(v text);',
      "create trigger sql_tr after insert on sql_t begin insert into sql_log(v) values (new.v || ';'); end;",
      "insert into sql_t(v) values ('a;b');",
      '/* ; */ select v from sql_log',
    ].join('\n');
    const res = await shared.api('POST', '/api/sql', { query }, 'superuser');
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.rows).toEqual([['a;b;']]);
    expect(res.json.affectedRows).toBe(2);
  });

  it('answers constraint errors, non-string queries, blank scripts and malformed bodies with a 400', async () => {
    const dup = await shared.api('POST', '/api/sql', { query: "insert into _collections(id, name, type) select id, name, type from _collections limit 1" }, 'superuser');
    expect(dup.status).toBe(400);
    expect(dup.json.message).toContain('constraint failed');
    const notString = await shared.api('POST', '/api/sql', { query: 5 }, 'superuser');
    expect(notString.status).toBe(400);
    expect(notString.json.data.query.code).toBe('validation_invalid_string');
    const blank = await shared.api('POST', '/api/sql', { query: '  -- nothing\n ; ' }, 'superuser');
    expect(blank.status).toBe(400);
    expect(blank.json.message).toContain('empty query');
    const malformed = await shared.api('POST', '/api/sql', '{"query":', 'superuser');
    expect(malformed.status).toBe(400);
  });

  it('stops a read past its time budget; the server keeps answering and the next script runs', async () => {
    const runaway = shared.api('POST', '/api/sql', { query: 'with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c' }, 'superuser');
    const health = await shared.api('GET', '/api/health');
    expect(health.status).toBe(200);
    const res = await runaway;
    expect(res.status).toBe(400);
    expect(res.json.message).toContain(`${TEST_BUDGET_MS} ms budget`);
    const next = await shared.api('POST', '/api/sql', { query: 'select 2' }, 'superuser');
    expect(next.json.rows).toEqual([['2']]);
  });

  it('stops a write past its time budget and rolls it back; the write lock is released', async () => {
    const res = await shared.api(
      'POST',
      '/api/sql',
      { query: 'create table sql_runaway(x int); insert into sql_runaway with recursive c(x) as (select 1 union all select x + 1 from c) select x from c' },
      'superuser',
    );
    expect(res.status).toBe(400);
    expect(res.json.message).toContain('budget');
    expect(await hasTable(shared, 'sql_runaway')).toBe(false);
    const write = await shared.api('POST', '/api/collections/users/records', { email: 'after-runaway@example.com', password: '1234567890', passwordConfirm: '1234567890' }, 'superuser');
    expect(write.status).toBe(200);
  });
});
