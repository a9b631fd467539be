/**
 * `transactionGrouped`: the synchronous writes given in one event-loop turn run at its end in
 * one transaction, each in its own savepoint — a member's throw undoes only its own work, the
 * rest commit together; a member that ends the whole transaction takes the earlier ones with it
 * and the later ones run in a transaction of their own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqlDb } from './database.ts';
import { EngineInTransactionError, openSqliteEngine, type SqliteEngine } from './sqlite-engine.ts';

let dir: string;
let engine: SqliteEngine;
let outside: SqlDb;

const names = (db: SqlDb) => db.all<{ name: string }>('SELECT name FROM items ORDER BY name').map((r) => r.name);
const insert = (name: string) => (db: SqlDb) => {
  db.run('INSERT INTO items VALUES (?)', [name]);
  return name;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hearth-grouped-'));
  engine = openSqliteEngine(join(dir, 'data.db'));
  engine.db.exec('CREATE TABLE items (name TEXT PRIMARY KEY)');
  outside = openDatabase(join(dir, 'data.db'));
});

afterEach(async () => {
  outside.close();
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('transactionGrouped', () => {
  it('runs the turn’s writes at its end in one transaction, each failing alone', async () => {
    const seen: string[][] = [];
    const a = engine.transactionGrouped(insert('a'));
    expect(names(engine.db)).toEqual([]); // not yet: at the end of the turn
    const b = engine.transactionGrouped((db) => {
      db.run('INSERT INTO items VALUES (?)', ['b']);
      throw new Error('b refused');
    });
    const c = engine.transactionGrouped((db) => {
      seen.push(names(db)); // a's work, not b's
      seen.push(names(outside)); // a is not committed yet: the same transaction
      return insert('c')(db);
    });
    const duplicate = engine.transactionGrouped(insert('c'));
    const [ra, rb, rc, rd] = await Promise.allSettled([a, b, c, duplicate]);
    expect(ra).toEqual({ status: 'fulfilled', value: 'a' });
    expect(rb).toMatchObject({ status: 'rejected', reason: { message: 'b refused' } });
    expect(rc).toEqual({ status: 'fulfilled', value: 'c' });
    expect(rd.status).toBe('rejected');
    expect(seen).toEqual([['a'], []]);
    expect(names(outside)).toEqual(['a', 'c']);
    // A lone write of a later turn commits on its own.
    await expect(engine.transactionGrouped(insert('d'))).resolves.toBe('d');
    expect(names(outside)).toEqual(['a', 'c', 'd']);
  });

  it('fails the members before one that ended the transaction, and runs the later ones anew', async () => {
    const a = engine.transactionGrouped(insert('a'));
    const ender = engine.transactionGrouped((db) => {
      db.run('ROLLBACK');
      throw new Error('ended');
    });
    const c = engine.transactionGrouped(insert('c'));
    const [ra, rEnder, rc] = await Promise.allSettled([a, ender, c]);
    expect(ra).toMatchObject({ status: 'rejected', reason: { message: 'ended' } });
    expect(rEnder).toMatchObject({ status: 'rejected', reason: { message: 'ended' } });
    expect(rc).toEqual({ status: 'fulfilled', value: 'c' });
    expect(names(outside)).toEqual(['c']);
  });

  it('refuses to be called from inside a transaction on the engine', async () => {
    let inSync: Promise<unknown> | undefined;
    let inMember: Promise<unknown> | undefined;
    await engine.transactionSync(() => {
      inSync = engine.transactionGrouped(() => 1).catch((err: unknown) => err);
    });
    await engine.transactionGrouped(() => {
      inMember = engine.transactionGrouped(() => 1).catch((err: unknown) => err);
    });
    expect(await inSync).toBeInstanceOf(EngineInTransactionError);
    expect(await inMember).toBeInstanceOf(EngineInTransactionError);
  });
});
