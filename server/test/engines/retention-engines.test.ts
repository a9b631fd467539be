/**
 * `_changes` retention on both engines through `SqlEngine`: pruning by count and by age deletes
 * the same entries on SQLite and on PostgreSQL, in steps, oldest first, and never touches the
 * entries inside the window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, type SqlEngine } from '../../src/db/index.ts';
import { pruneChanges } from '../../src/realtime/index.ts';
import { formatDate } from '../../src/shared/clock.ts';
import { START_TIMEOUT, startBothEngines, type BothEngines } from './both-engines.ts';

let both: BothEngines;
const DAY = 24 * 3600_000;
const NOW = Date.UTC(2026, 0, 10, 12);

beforeAll(async () => {
  both = await startBothEngines();
  for (const engine of [both.sqlite, both.postgres]) await migrate(engine);
}, START_TIMEOUT);
afterAll(async () => both?.close());

/** Writes `n` entries, entry i created `n - i` days before NOW (so the last is the newest). */
async function fill(engine: SqlEngine, n: number): Promise<void> {
  await engine.run('DELETE FROM "_changes"');
  await engine.transaction(async (tx) => {
    for (let i = 0; i < n; i++) {
      await tx.run('INSERT INTO "_changes" ("collectionId", "recordId", "action", "created") VALUES (?, ?, ?, ?)', [
        'c1',
        `r${i}`,
        'create',
        formatDate(new Date(NOW - (n - i) * DAY)),
      ]);
    }
  });
}

const kept = async (engine: SqlEngine): Promise<string[]> =>
  (await engine.all<{ recordId: string }>('SELECT "recordId" FROM "_changes" ORDER BY "seq"')).map((r) => r.recordId);

describe.each(['sqlite', 'postgres'] as const)('change-log retention on %s', (name) => {
  const engine = (): SqlEngine => both[name];

  it('keeps the newest maxRows entries', async () => {
    await fill(engine(), 10);
    expect(await pruneChanges(engine(), { maxRows: 3, maxAgeMs: 365 * DAY }, NOW)).toBe(7);
    expect(await kept(engine())).toEqual(['r7', 'r8', 'r9']);
    expect(await pruneChanges(engine(), { maxRows: 3, maxAgeMs: 365 * DAY }, NOW)).toBe(0);
  });

  it('drops entries older than maxAgeMs', async () => {
    await fill(engine(), 10);
    // Entries are 10…1 days old: a window of 4.5 days keeps the 4 newest.
    expect(await pruneChanges(engine(), { maxRows: 1000, maxAgeMs: 4.5 * DAY }, NOW)).toBe(6);
    expect(await kept(engine())).toEqual(['r6', 'r7', 'r8', 'r9']);
  });

  it('finds the age cut-off by seq across gaps, with no index on created', async () => {
    await fill(engine(), 200);
    // Holes in the seqs (entries pruned or never committed), on both sides of the cut-off.
    await engine().run(`DELETE FROM "_changes" WHERE "recordId" IN ('r10', 'r11', 'r12', 'r130', 'r131', 'r150', 'r198')`);
    const indexes =
      name === 'sqlite'
        ? await engine().all('SELECT "name" FROM sqlite_master WHERE "type" = ? AND "tbl_name" = ? AND "sql" IS NOT NULL', ['index', '_changes'])
        : await engine().all('SELECT indexname AS "name" FROM pg_indexes WHERE tablename = ? AND indexname != ?', ['_changes', '_changes_pkey']);
    expect(indexes).toEqual([]);
    // Entries are 200…1 days old: a window of 69.5 days keeps r131…r199, less the holes.
    expect(await pruneChanges(engine(), { maxRows: 1000, maxAgeMs: 69.5 * DAY }, NOW)).toBe(131 - 4);
    expect(await kept(engine())).toEqual(Array.from({ length: 69 }, (_, i) => `r${131 + i}`).filter((r) => !['r131', 'r150', 'r198'].includes(r)));
    expect(await pruneChanges(engine(), { maxRows: 1000, maxAgeMs: 69.5 * DAY }, NOW)).toBe(0);
    // Nothing old enough, and everything old enough.
    expect(await pruneChanges(engine(), { maxRows: 1000, maxAgeMs: 365 * DAY }, NOW)).toBe(0);
    expect(await pruneChanges(engine(), { maxRows: 1000, maxAgeMs: 0.5 * DAY }, NOW)).toBe(66);
    expect(await kept(engine())).toEqual([]);
  });

  it('applies whichever bound removes more, and an empty window empties the log', async () => {
    await fill(engine(), 10);
    expect(await pruneChanges(engine(), { maxRows: 8, maxAgeMs: 4.5 * DAY }, NOW)).toBe(6);
    expect(await pruneChanges(engine(), { maxRows: 1, maxAgeMs: 365 * DAY }, NOW)).toBe(3);
    expect(await kept(engine())).toEqual(['r9']);
    expect(await pruneChanges(engine(), { maxRows: 0, maxAgeMs: 365 * DAY }, NOW)).toBe(1);
    expect(await kept(engine())).toEqual([]);
  });
});
