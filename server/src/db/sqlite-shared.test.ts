/**
 * The SQLite engine and the synchronous `SqlDb` it hands out share one writer: statements of
 * either are seen by the other, an async transaction held across awaits never has another
 * context's statements inside it (their reads see the last commit, their writes are refused),
 * and synchronous code called from inside the transaction's own context is part of it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { otherWriterProbe } from './schema-version.ts';
import { EngineInTransactionError, openSqliteEngine, WriterBusyError, type SqliteEngine } from './sqlite-engine.ts';

let dir: string;
let engine: SqliteEngine;

/** A pause that lets every other pending callback run (a real macrotask turn). */
const yieldToOthers = () => new Promise((resolve) => setImmediate(resolve));
const names = (e: SqliteEngine) => e.db.all<{ name: string }>('SELECT name FROM items ORDER BY name').map((r) => r.name);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hearth-shared-'));
  engine = openSqliteEngine(join(dir, 'data.db'));
  engine.db.exec('CREATE TABLE items (name TEXT PRIMARY KEY)');
});

afterEach(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('one writer for the engine and SqlDb', () => {
  it('sees each other’s writes, and engine commits are not another writer', async () => {
    const probe = otherWriterProbe(engine.db);
    engine.db.run('INSERT INTO items VALUES (?)', ['sync']);
    expect(await engine.get('SELECT name FROM items WHERE name = ?', ['sync'])).toEqual({ name: 'sync' });
    await engine.run('INSERT INTO items VALUES (?)', ['async']);
    await engine.transaction(async (tx) => tx.run('INSERT INTO items VALUES (?)', ['tx']));
    expect(names(engine)).toEqual(['async', 'sync', 'tx']);
    expect(probe()).toBe(false);
    const other = openDatabase(join(dir, 'data.db'));
    other.run('INSERT INTO items VALUES (?)', ['other']);
    other.close();
    expect(probe()).toBe(true);
  });

  it('keeps other contexts out of an async transaction held across awaits', async () => {
    engine.db.run('INSERT INTO items VALUES (?)', ['committed']);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const tx = engine.transaction(async (t) => {
      await t.run('INSERT INTO items VALUES (?)', ['uncommitted']);
      entered();
      await held;
      await t.run('DELETE FROM items WHERE name = ?', ['uncommitted']);
      await t.run('INSERT INTO items VALUES (?)', ['done']);
    });
    await inside;
    await yieldToOthers();
    // Another context: reads see the last commit, writes are refused, nothing lands in the tx.
    expect(names(engine)).toEqual(['committed']);
    expect(engine.db.inTransaction).toBe(false);
    expect(() => engine.db.run('INSERT INTO items VALUES (?)', ['intruder'])).toThrow(WriterBusyError);
    expect(() => engine.db.transaction(() => engine.db.run('INSERT INTO items VALUES (?)', ['intruder']))).toThrow(WriterBusyError);
    expect(() => engine.db.exec('CREATE TABLE intruder (x)')).toThrow(WriterBusyError);
    expect(await engine.all('SELECT name FROM items')).toEqual([{ name: 'committed' }]);
    // An engine write from outside waits its turn instead.
    const queuedWrite = engine.run('INSERT INTO items VALUES (?)', ['queued']);
    await yieldToOthers();
    expect(names(engine)).toEqual(['committed']);
    release();
    await tx;
    await queuedWrite;
    expect(names(engine)).toEqual(['committed', 'done', 'queued']);
    // The writer is free again for synchronous writes.
    engine.db.run('INSERT INTO items VALUES (?)', ['after']);
    expect(names(engine)).toContain('after');
  });

  it('runs synchronous code called inside the transaction as part of it', async () => {
    const failed = engine.transaction(async (tx) => {
      await tx.run('INSERT INTO items VALUES (?)', ['a']);
      await yieldToOthers();
      engine.db.run('INSERT INTO items VALUES (?)', ['b']);
      expect(engine.db.inTransaction).toBe(true);
      expect(engine.db.all('SELECT name FROM items ORDER BY name')).toEqual([{ name: 'a' }, { name: 'b' }]);
      // A synchronous transaction inside becomes a savepoint: its throw undoes only its own work.
      expect(() =>
        engine.db.transaction(() => {
          engine.db.run('INSERT INTO items VALUES (?)', ['c']);
          throw new Error('inner');
        }),
      ).toThrow('inner');
      expect(engine.db.all('SELECT name FROM items ORDER BY name')).toEqual([{ name: 'a' }, { name: 'b' }]);
      throw new Error('outer');
    });
    await expect(failed).rejects.toThrow('outer');
    expect(names(engine)).toEqual([]);
    await engine.transaction(async (tx) => {
      engine.db.run('INSERT INTO items VALUES (?)', ['sync-in-tx']);
      await tx.run('INSERT INTO items VALUES (?)', ['async-in-tx']);
    });
    expect(names(engine)).toEqual(['async-in-tx', 'sync-in-tx']);
  });

  it('refuses engine writes and nested transactions from inside a transaction instead of waiting forever', async () => {
    await engine.transaction(async () => {
      await expect(engine.run('INSERT INTO items VALUES (?)', ['x'])).rejects.toBeInstanceOf(EngineInTransactionError);
      await expect(engine.transaction(async () => {})).rejects.toBeInstanceOf(EngineInTransactionError);
    });
    expect(names(engine)).toEqual([]);
  });

  it('runs a write that returns rows on the writer, outside a transaction too', async () => {
    expect(await engine.get('INSERT INTO items VALUES (?) RETURNING name', ['r'])).toEqual({ name: 'r' });
    expect(await engine.all('DELETE FROM items WHERE name = ? RETURNING name', ['r'])).toEqual([{ name: 'r' }]);
    expect(names(engine)).toEqual([]);
  });

  it('moves only the write marks of the tables an engine transaction writes', async () => {
    engine.db.exec('CREATE TABLE other (v TEXT)');
    const mark = engine.db.writeMark('items');
    const otherMark = engine.db.writeMark('other');
    expect(mark).not.toBeNull();
    await engine.transaction(async (tx) => tx.run('INSERT INTO other VALUES (?)', ['x']));
    await engine.transaction(async (tx) => tx.savepoint((sp) => sp.run('INSERT INTO other VALUES (?)', ['y'])));
    expect(engine.db.writeMark('items')).toBe(mark);
    expect(engine.db.writeMark('other')).not.toBe(otherMark);
    await engine.transaction(async (tx) => tx.run('INSERT INTO items VALUES (?)', ['z']));
    expect(engine.db.writeMark('items')).not.toBe(mark);
  });

  it('runs a synchronous transaction at once when the writer is free, else in its turn', async () => {
    // Free: committed before the call returns (no await in between).
    const first = engine.transactionSync((db) => {
      db.run('INSERT INTO items VALUES (?)', ['now']);
      return 'done';
    });
    expect(names(engine)).toEqual(['now']);
    await expect(first).resolves.toBe('done');
    // Held by an async transaction: it waits, and runs after it in order, as a queued write would.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const tx = engine.transaction(async (t) => {
      await t.run('INSERT INTO items VALUES (?)', ['held']);
      await held;
    });
    await yieldToOthers();
    const later = engine.transactionSync((db) => db.all<{ name: string }>('SELECT name FROM items ORDER BY name').map((r) => r.name));
    const queuedWrite = engine.run('INSERT INTO items VALUES (?)', ['queued']);
    await yieldToOthers();
    expect(names(engine)).toEqual(['now']);
    release();
    await tx;
    expect(await later).toEqual(['held', 'now']);
    await queuedWrite;
    // A throw rolls the whole transaction back; nested engine work is refused, not deadlocked.
    await expect(
      engine.transactionSync((db) => {
        db.run('INSERT INTO items VALUES (?)', ['undone']);
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    let nested: Promise<unknown> | undefined;
    await engine.transactionSync(() => {
      nested = engine.transactionSync(() => 1);
    });
    await expect(nested).rejects.toBeInstanceOf(EngineInTransactionError);
    expect(names(engine)).toEqual(['held', 'now', 'queued']);
  });

  it('backs up the last commit while a transaction is open', async () => {
    engine.db.run('INSERT INTO items VALUES (?)', ['committed']);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const tx = engine.transaction(async (t) => {
      await t.run('INSERT INTO items VALUES (?)', ['uncommitted']);
      await held;
    });
    await yieldToOthers();
    const copy = join(dir, 'copy.db');
    await engine.db.backup(copy);
    release();
    await tx;
    const backup = openDatabase(copy);
    expect(backup.all('SELECT name FROM items')).toEqual([{ name: 'committed' }]);
    backup.close();
  });

  it('reads new columns on the read connection after a schema change on the writer', async () => {
    engine.db.run('INSERT INTO items VALUES (?)', ['a']);
    expect(await engine.get('SELECT * FROM items')).toEqual({ name: 'a' });
    engine.db.exec("ALTER TABLE items ADD COLUMN n INTEGER NOT NULL DEFAULT 1");
    expect(await engine.get('SELECT * FROM items')).toEqual({ name: 'a', n: 1 });
    await engine.transaction((tx) => tx.exec("ALTER TABLE items ADD COLUMN m TEXT NOT NULL DEFAULT 'x'"));
    expect(await engine.get('SELECT * FROM items')).toEqual({ name: 'a', n: 1, m: 'x' });
    await engine.exec('ALTER TABLE items DROP COLUMN n');
    expect(await engine.get('SELECT * FROM items')).toEqual({ name: 'a', m: 'x' });
  });

  it('reads the replacement file on both connections after replaceFile', async () => {
    engine.db.run('INSERT INTO items VALUES (?)', ['old']);
    const replacement = join(dir, 'new.db');
    const other = openDatabase(replacement);
    other.exec("CREATE TABLE items (name TEXT PRIMARY KEY); INSERT INTO items VALUES ('new')");
    other.close();
    engine.db.replaceFile(replacement, join(dir, 'old.db'));
    expect(await engine.all('SELECT name FROM items')).toEqual([{ name: 'new' }]);
    expect(names(engine)).toEqual(['new']);
    await engine.run('INSERT INTO items VALUES (?)', ['written']);
    expect(await engine.all('SELECT name FROM items ORDER BY name')).toEqual([{ name: 'new' }, { name: 'written' }]);
  });
});
