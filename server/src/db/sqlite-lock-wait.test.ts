/**
 * An async transaction waiting for another connection's write lock (another worker, the CLI)
 * leaves the event loop serving: other callbacks run while it waits, it begins once the lock is
 * released, and statements of the connection keep waiting up to busy_timeout as before.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqlDb } from './database.ts';
import { openSqliteEngine, type SqliteEngine } from './sqlite-engine.ts';

let dir: string;
let engine: SqliteEngine;
let other: SqlDb;

const turn = () => new Promise((resolve) => setImmediate(resolve));
const names = (e: SqliteEngine) => e.db.all<{ name: string }>('SELECT name FROM items ORDER BY name').map((r) => r.name);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hearth-lock-wait-'));
  engine = openSqliteEngine(join(dir, 'data.db'));
  engine.db.exec('CREATE TABLE items (name TEXT PRIMARY KEY)');
  other = openDatabase(join(dir, 'data.db'));
});

afterEach(async () => {
  if (other.inTransaction) other.run('ROLLBACK');
  other.close();
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('waiting for another connection’s write lock', () => {
  it('keeps the event loop turning and begins once the lock is released', async () => {
    other.run('BEGIN IMMEDIATE');
    other.run('INSERT INTO items VALUES (?)', ['other']);
    let began = false;
    const tx = engine.transaction(async (t) => {
      began = true;
      await t.run('INSERT INTO items VALUES (?)', ['mine']);
      return 'committed';
    });
    // A thread stopped in SQLite's busy handler would run none of these turns until it gave up.
    let turns = 0;
    for (; turns < 20; turns++) await turn();
    expect(turns).toBe(20);
    expect(began).toBe(false);
    other.run('COMMIT');
    await expect(tx).resolves.toBe('committed');
    expect(names(engine)).toEqual(['mine', 'other']);
  });

  it('lets a synchronous transaction wait its turn the same way', async () => {
    other.run('BEGIN IMMEDIATE');
    other.run('INSERT INTO items VALUES (?)', ['other']);
    let ran = false;
    const tx = engine.transactionSync((db) => {
      ran = true;
      db.run('INSERT INTO items VALUES (?)', ['mine']);
    });
    let turns = 0;
    for (; turns < 20; turns++) await turn();
    expect(turns).toBe(20);
    expect(ran).toBe(false);
    other.run('COMMIT');
    await tx;
    expect(names(engine)).toEqual(['mine', 'other']);
  });

  it('serves reads while it waits', async () => {
    engine.db.run('INSERT INTO items VALUES (?)', ['before']);
    other.run('BEGIN IMMEDIATE');
    const tx = engine.transaction(async (t) => t.run('INSERT INTO items VALUES (?)', ['after']));
    await turn();
    expect(await engine.all('SELECT name FROM items')).toEqual([{ name: 'before' }]);
    other.run('ROLLBACK');
    await tx;
    expect(names(engine)).toEqual(['after', 'before']);
  });

  it('leaves busy_timeout in place for the connection’s other statements', async () => {
    await engine.transaction(async (t) => t.run('INSERT INTO items VALUES (?)', ['x']));
    expect(Object.values(engine.db.get<Record<string, number>>('PRAGMA busy_timeout')!)[0]).toBe(5000);
    expect(Object.values((await engine.get<Record<string, number>>('PRAGMA busy_timeout'))!)[0]).toBe(5000);
  });

  it('lets a synchronous write after an async transaction wait for another process’s lock', async () => {
    await engine.transaction(async (t) => t.run('INSERT INTO items VALUES (?)', ['async']));
    // Another process holds the write lock for a moment; a synchronous write cannot yield, so it
    // must wait in SQLite's busy handler (busy_timeout) instead of failing at once.
    const script = `const D = require(${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))});
      const d = new D(process.argv[1]); d.exec('BEGIN IMMEDIATE'); d.prepare("INSERT INTO items VALUES ('held')").run();
      process.stdout.write('held\\n'); setTimeout(() => { d.exec('COMMIT'); d.close(); }, 300);`;
    const child = spawn(process.execPath, ['-e', script, join(dir, 'data.db')], { stdio: ['ignore', 'pipe', 'inherit'] });
    await once(child.stdout!, 'data');
    engine.db.run('INSERT INTO items VALUES (?)', ['sync']);
    await once(child, 'exit');
    expect(names(engine)).toEqual(['async', 'held', 'sync']);
  });
});
