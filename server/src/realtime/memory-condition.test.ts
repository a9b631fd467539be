/**
 * The in-memory evaluation of simple conditions against SQLite's own answer for the same SQL over
 * the same values in a table with the same declared types: NULL, '', strings, a number stored
 * in a text column (unknown in memory: SQL decides), constants; and which shapes stay in SQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '../db/index.ts';
import { evaluate, hasTextAffinity, toMemoryCondition } from './memory-condition.ts';

const dir = mkdtempSync(join(tmpdir(), 'hearth-memcond-'));
const db = openDatabase(join(dir, 'data.db'));
db.exec('CREATE TABLE t (id TEXT, owner TEXT, room TEXT, n NUMERIC)');
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const TEXT = new Set(['id', 'owner', 'room']);
const ROWS: Array<Record<string, unknown>> = [
  { id: 'a', owner: 'u1', room: 'x', n: 1 },
  { id: 'b', owner: '', room: '', n: 0 },
  { id: 'c', owner: null, room: null, n: null },
  { id: 'd', owner: 'u2', room: 'X', n: 2 },
  { id: 'e', owner: 'u1', room: 'x ', n: 3 },
];

for (const r of ROWS) db.run('INSERT INTO t (id, owner, room, n) VALUES (?, ?, ?, ?)', [r.id, r.owner, r.room, r.n]);

const CASES: Array<{ sql: string; params: Array<string | number | null> }> = [
  { sql: 't."owner" IS ?', params: ['u1'] },
  { sql: '? IS t."owner"', params: ['u2'] },
  { sql: 't."room" IS NOT ?', params: ['x'] },
  { sql: '(t."room" IS NULL OR t."room" = \'\')', params: [] },
  { sql: '(t."owner" IS NOT NULL AND t."owner" != \'\')', params: [] },
  { sql: '(t."owner" IS ? AND (t."room" IS NOT NULL AND t."room" != \'\'))', params: ['u1'] },
  { sql: '(? IS NOT NULL AND ? != \'\')', params: ['u1', 'u1'] },
  { sql: '(? IS NOT NULL AND ? != \'\')', params: ['', ''] },
  { sql: '(? IS NULL OR ? = \'\')', params: [null, null] },
  { sql: '((? IS NOT NULL AND ? != \'\') AND t."room" IS ?)', params: ['', '', 'x'] },
  { sql: '? IS ?', params: ['u1', 'u1'] },
  { sql: '? IS NOT ?', params: ['u1', 'u1'] },
  // Conjunctions over one column: contradictions admit nothing, agreements stay as they are.
  { sql: '(t."owner" IS ? AND t."owner" IS ?)', params: ['u1', 'u2'] },
  { sql: '(t."owner" IS ? AND t."owner" IS ?)', params: ['u1', 'u1'] },
  { sql: '(t."owner" IS ? AND (t."owner" IS NULL OR t."owner" = \'\'))', params: ['u1'] },
  { sql: '(t."owner" IS ? AND (t."owner" IS NULL OR t."owner" = \'\'))', params: [''] },
  { sql: '(t."owner" IS ? AND t."owner" IS NOT ?)', params: ['u1', 'u2'] },
];

it('answers as SQLite does for every recognised shape and value', () => {
  for (const c of CASES) {
    const cond = toMemoryCondition([c], TEXT);
    expect(cond, c.sql).not.toBeNull();
    for (const row of ROWS) {
      const sql = Boolean(db.pluck(`SELECT (${c.sql}) FROM t WHERE t.id = '${String(row.id)}'`, c.params)[0]);
      expect(evaluate(cond!, row), `${c.sql} ${JSON.stringify(c.params)} on ${JSON.stringify(row)}`).toBe(sql);
    }
  }
});

/** PostgreSQL's text of a case (postgresDialect's `same` and `empty`): `IS [NOT] DISTINCT FROM`, the empty checks over `CAST(… AS TEXT)`. */
const pgForm = (sql: string): string =>
  sql
    .replace(/\(((?:t\."\w+")|\?) (IS (?:NOT )?NULL (?:OR|AND)) \1 (!?= '')\)/g, '(CAST($1 AS TEXT) $2 CAST($1 AS TEXT) $3)')
    .replace(/ IS NOT (\?|t\.)/g, ' IS DISTINCT FROM $1')
    .replace(/ IS (\?|t\.)/g, ' IS NOT DISTINCT FROM $1');

it("reads PostgreSQL's form of every recognised shape as the same condition", () => {
  for (const c of CASES) {
    const pg = pgForm(c.sql);
    expect(pg, c.sql).not.toBe(c.sql);
    expect(toMemoryCondition([{ sql: pg, params: c.params }], TEXT), pg).toEqual(toMemoryCondition([c], TEXT));
  }
  expect(toMemoryCondition([{ sql: '(CAST(t."owner" AS TEXT) IS NULL OR CAST(t."room" AS TEXT) = \'\')', params: [] }], TEXT)).toBeNull();
  expect(toMemoryCondition([{ sql: 't."n" IS NOT DISTINCT FROM ?', params: ['1'] }], TEXT)).toBeNull();
});

it('marks contradictory conjunctions as admitting nothing, and only those', () => {
  const never = (sql: string, params: string[]) => toMemoryCondition([{ sql, params }], TEXT)!.never;
  expect(never('(t."owner" IS ? AND t."owner" IS ?)', ['u1', 'u2'])).toBe(true);
  expect(never('(t."owner" IS ? AND (t."owner" IS NULL OR t."owner" = \'\'))', ['u1'])).toBe(true);
  expect(toMemoryCondition([{ sql: 't."owner" IS ?', params: ['u1'] }, { sql: 't."owner" IS ?', params: ['u2'] }], TEXT)!.never).toBe(true);
  expect(never('(t."owner" IS ? AND t."owner" IS ?)', ['u1', 'u1'])).toBe(false);
  expect(never('(t."owner" IS ? AND t."room" IS ?)', ['u1', 'u2'])).toBe(false);
  expect(never('(t."owner" IS ? AND t."owner" IS NOT ?)', ['u1', 'u2'])).toBe(false);
});

it('is unsure (undefined) where a text column holds a number, so SQL decides', () => {
  const cond = toMemoryCondition([{ sql: 't."owner" IS ?', params: ['5'] }], TEXT)!;
  expect(evaluate(cond, { owner: 5 })).toBeUndefined();
});

it('leaves to SQL what it cannot judge exactly', () => {
  const sqlOnly = [
    { sql: '(t."owner" IS ? OR t."room" IS ?)', params: ['u1', 'x'] },
    { sql: 't."n" IS ?', params: ['1'] },
    { sql: 't."owner" IS ?', params: [5] },
    { sql: 't."room" > ?', params: ['a'] },
    { sql: 't."room" LIKE ? ESCAPE \'\\\'', params: ['%x%'] },
    { sql: 'EXISTS (SELECT 1 FROM "m" __c1 WHERE __c1."user" IS ?)', params: ['u1'] },
    { sql: '(t."owner" IS NULL OR t."room" = \'\')', params: [] },
    { sql: 't."owner" IS ?', params: [] },
  ];
  for (const f of sqlOnly) expect(toMemoryCondition([f], TEXT), f.sql).toBeNull();
});

it('knows SQLite affinity names', () => {
  expect(['TEXT', 'VARCHAR(10)', 'CLOB', 'text'].every(hasTextAffinity)).toBe(true);
  expect(['INTEGER', 'NUMERIC', 'REAL', 'BLOB', '', 'CHARINT'].some(hasTextAffinity)).toBe(false);
});
