/**
 * Migration 7 on both engines: the change log's update entries written without their before
 * state get it from the record's preceding entry (JSON `null` when there is none), its two
 * secondary indexes go, and seqs continue after the highest one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, type SqlEngine } from '../../src/db/index.ts';
import { START_TIMEOUT, startBothEngines, type BothEngines } from './both-engines.ts';

let both: BothEngines;

beforeAll(async () => {
  both = await startBothEngines();
  for (const engine of [both.sqlite, both.postgres]) await migrate(engine);
}, START_TIMEOUT);
afterAll(async () => both?.close());

const INSERT = 'INSERT INTO "_changes" ("collectionId", "recordId", "action", "created", "data", "previous") VALUES (?, ?, ?, ?, ?, ?)';

async function indexesOfChanges(engine: SqlEngine): Promise<string[]> {
  const rows =
    engine.kind === 'sqlite'
      ? await engine.all<{ name: string }>('SELECT "name" FROM sqlite_master WHERE "type" = ? AND "tbl_name" = ? AND "sql" IS NOT NULL', ['index', '_changes'])
      : await engine.all<{ name: string }>('SELECT indexname AS "name" FROM pg_indexes WHERE tablename = ? AND indexname != ?', ['_changes', '_changes_pkey']);
  return rows.map((r) => r.name).sort();
}

describe.each(['sqlite', 'postgres'] as const)('change log migration on %s', (name) => {
  it('fills the before state of old update entries, drops the indexes, keeps counting seqs', async () => {
    const engine = both[name];
    // A log as version 6 left it: both indexes, updates whose before state was looked up at read time.
    await engine.run('DELETE FROM "_migrations" WHERE "version" = 7');
    await engine.exec(`CREATE INDEX "_changes_created_idx" ON "_changes" ("created");
      CREATE INDEX "_changes_record_idx" ON "_changes" ("collectionId", "recordId", "seq")`);
    expect(await indexesOfChanges(engine)).toEqual(['_changes_created_idx', '_changes_record_idx']);
    const rows: [string, string, string, string | null, string | null][] = [
      ['c1', 'a', 'create', '{"v":1}', null],
      ['c2', 'a', 'create', '{"other":true}', null], // same id, another collection
      ['c1', 'a', 'update', '{"v":2}', null],
      ['c1', 'a', 'update', '{"v":3}', '{"v":"stored"}'], // stored by its writer: kept
      ['c1', 'a', 'update', '{"v":4}', null],
      ['c1', 'b', 'create', '{"b":1}', null],
      ['c1', 'b', 'delete', '{"b":1}', null],
      ['c1', 'b', 'update', '{"b":2}', null], // after a delete: the entry before the delete
      ['c1', 'z', 'update', '{"z":1}', null], // nothing before it in the log
    ];
    await engine.transaction(async (tx) => {
      for (const [collectionId, recordId, action, data, previous] of rows) await tx.run(INSERT, [collectionId, recordId, action, '2026-01-01 00:00:00.000Z', data, previous]);
    });
    const last = Number((await engine.get<{ seq: number }>('SELECT MAX("seq") AS "seq" FROM "_changes"'))!.seq);

    expect(await migrate(engine)).toEqual([7]);

    const after = await engine.all<{ recordId: string; action: string; previous: string | null }>(
      'SELECT "recordId", "action", "previous" FROM "_changes" WHERE "seq" > ? ORDER BY "seq"',
      [last - rows.length],
    );
    expect(after.map((r) => r.previous)).toEqual([null, null, '{"v":1}', '{"v":"stored"}', '{"v":3}', null, null, '{"b":1}', 'null']);
    expect(await indexesOfChanges(engine)).toEqual([]);
    const next = await engine.get<{ seq: number }>('INSERT INTO "_changes" ("collectionId", "recordId", "action", "created") VALUES (?, ?, ?, ?) RETURNING "seq"', ['c1', 'n', 'create', '2026-01-02 00:00:00.000Z']);
    expect(Number(next!.seq)).toBe(last + 1);
    expect(await migrate(engine)).toEqual([]);
  });
});
