/** Apple's one-time names, kept in the data file: bounds, expiry, and one process taking what another kept. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, openSqliteEngine } from '../../db/index.ts';
import type { SqliteEngine } from '../../db/sqlite-engine.ts';
import { APPLE_NAME_TTL_MS, createAppleNames, MAX_APPLE_NAMES } from './apple-names.ts';

const user = (firstName: string, lastName: string) => JSON.stringify({ name: { firstName, lastName } });

let dir: string;
let engine: SqliteEngine;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hearth-apple-'));
  engine = openSqliteEngine(join(dir, 'data.db'));
  await migrate(engine);
});
afterEach(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Apple redirect names', () => {
  it('keeps the name for its code once, clipped to 150 characters (PocketBase bounds)', async () => {
    const names = createAppleNames(engine);
    await names.remember('a'.repeat(985), user('aaa', 'b'.repeat(200)));
    expect(await names.take('a'.repeat(985))).toBe(`aaa ${'b'.repeat(146)}`);
    expect(await names.take('a'.repeat(985))).toBeUndefined();
  });

  it('keeps nothing for a code whose key would pass 1000 characters, or for an empty or invalid name', async () => {
    const names = createAppleNames(engine);
    await names.remember('a'.repeat(986), user('aaa', 'bbb'));
    await names.remember('c1', user(' ', ''));
    await names.remember('c2', '{not json');
    expect([await names.take('a'.repeat(986)), await names.take('c1'), await names.take('c2')]).toEqual([undefined, undefined, undefined]);
    expect(engine.db.pluck('SELECT COUNT(*) FROM "_params" WHERE "key" <> \'settings\'')[0]).toBe(0);
  });

  it('forgets a name after a minute, and the oldest names past the cap', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const names = createAppleNames(engine, () => now);
    await names.remember('old', user('Old', 'Name'));
    now += APPLE_NAME_TTL_MS;
    expect(await names.take('old')).toBeUndefined();
    // The cap, filled directly (one row per remember would take a while), then one more kept.
    const stamp = new Date(now + APPLE_NAME_TTL_MS).toISOString().replace('T', ' ');
    engine.db.transaction(() => {
      for (let i = 0; i < MAX_APPLE_NAMES; i++) engine.db.run('INSERT INTO "_params" ("key", "value", "updated") VALUES (?, ?, ?)', [`@redirect_name_c${i}`, `N ${i}`, stamp]);
    });
    now += 1;
    await names.remember('last', user('N', 'last'));
    expect(engine.db.pluck('SELECT COUNT(*) FROM "_params" WHERE "key" LIKE \'@redirect%\'')[0]).toBe(MAX_APPLE_NAMES);
    expect(await names.take('c0')).toBeUndefined();
    expect(await names.take('c1')).toBe('N 1');
    expect(await names.take('last')).toBe('N last');
  });

  it('a name kept by one process is taken by another on the same data file', async () => {
    const other = openSqliteEngine(join(dir, 'data.db'));
    try {
      await createAppleNames(engine).remember('code-1', user('Ada', 'Lovelace'));
      expect(await createAppleNames(other).take('code-1')).toBe('Ada Lovelace');
      expect(await createAppleNames(engine).take('code-1')).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  it('prunes only its own rows: a key that matches the prefix only with LIKE wildcards stays', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    engine.db.run('INSERT INTO "_params" ("key", "value", "updated") VALUES (?, ?, ?)', ['@redirectXnameXother', 'kept', '2000-01-01 00:00:00.000Z']);
    const names = createAppleNames(engine, () => now);
    await names.remember('a', user('A', 'B'));
    now += APPLE_NAME_TTL_MS + 1;
    await names.remember('b', user('C', 'D'));
    expect(engine.db.pluck('SELECT "key" FROM "_params" ORDER BY "key"')).toEqual(['@redirectXnameXother', '@redirect_name_b']);
  });
});
