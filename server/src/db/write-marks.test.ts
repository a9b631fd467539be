/** Write marks: which statements move a table's mark, and when no mark can be given. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqlDb } from './database.ts';
import { writeTargets } from './write-marks.ts';

describe('writeTargets', () => {
  it.each([
    ['INSERT INTO "users" ("id") VALUES (?)', ['users']],
    ['insert or replace into Users (id) values (?)', ['users']],
    ['REPLACE INTO [users] VALUES (1)', ['users']],
    ['UPDATE OR IGNORE main."Users" SET "name" = ? WHERE "id" = ?', ['users']],
    ['DELETE FROM "users" AS t WHERE t."id" = ? RETURNING *', ['users']],
    ['WITH x AS (SELECT 1) DELETE /* note */ FROM `we``ird` WHERE 1', ['we`ird']],
    ['UPDATE "a""b" SET x = 1', ['a"b']],
    ['INSERT INTO logs (t) VALUES (\'DELETE FROM users\') -- UPDATE users', ['logs']],
    ['INSERT INTO p (k) VALUES (1) ON CONFLICT (k) DO UPDATE SET v = 2', ['p', 'set']],
  ])('%s', (sql, targets) => {
    expect(writeTargets(sql)).toEqual(targets);
  });

  it.each(['BEGIN IMMEDIATE', 'commit', 'ROLLBACK', 'SAVEPOINT hearth_sp_1', 'RELEASE hearth_sp_1', 'ROLLBACK TO hearth_sp_1'])('names no table for %s', (sql) => {
    expect(writeTargets(sql)).toEqual([]);
  });

  it('names nothing for statements without a plain target', () => {
    expect(writeTargets('PRAGMA user_version = 3')).toBeNull();
    expect(writeTargets("SELECT 'UPDATE users SET x = 1'")).toBeNull();
    expect(writeTargets('CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE users SET x = 1; END')).toBeNull();
  });
});

describe('SqlDb.writeMark', () => {
  let dir: string;
  let db: SqlDb;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hearth-marks-'));
    db = openDatabase(join(dir, 'data.db'));
    db.exec('CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT); CREATE TABLE other (id INTEGER PRIMARY KEY, v TEXT);');
    db.run("INSERT INTO users (id, name) VALUES ('u1', 'a')");
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stays while only reads and writes of other tables run', () => {
    const mark = db.writeMark('users');
    expect(mark).not.toBeNull();
    db.get('SELECT * FROM users WHERE id = ?', ['u1']);
    db.run('INSERT INTO other (v) VALUES (?)', ['x']);
    db.transaction(() => db.run('UPDATE other SET v = ?', ['y']));
    // A transaction opened and committed by statements (as the async engine's are).
    db.run('BEGIN IMMEDIATE');
    db.run('UPDATE other SET v = ?', ['w']);
    db.run('COMMIT');
    expect(db.writeMark('USERS')).toBe(mark);
    expect(db.writeMark('other')).not.toBe(mark);
  });

  it.each([
    ['an insert', (d: SqlDb) => d.run("INSERT INTO users (id, name) VALUES ('u2', 'b')")],
    ['an update', (d: SqlDb) => d.run('UPDATE "users" SET name = ? WHERE id = ?', ['c', 'u1'])],
    ['a delete returning the row', (d: SqlDb) => d.get('DELETE FROM main.users WHERE id = ? RETURNING *', ['u1'])],
    ['a write in a transaction', (d: SqlDb) => d.transaction(() => d.run('UPDATE users SET name = ?', ['d']))],
    ['a rolled-back write', (d: SqlDb) => expect(() => d.transaction(() => { d.run('UPDATE users SET name = ?', ['e']); throw new Error('no'); })).toThrow('no')],
    ['a script', (d: SqlDb) => d.exec("UPDATE other SET v = 'z'")],
    ['a writing pragma', (d: SqlDb) => d.run('PRAGMA user_version = 7')],
  ])('moves after %s', (_name, write) => {
    const mark = db.writeMark('users');
    write(db);
    expect(db.writeMark('users')).not.toBe(mark);
  });

  it('moves after another connection commits anything', () => {
    const mark = db.writeMark('users');
    const other = openDatabase(join(dir, 'data.db'));
    try {
      other.run('INSERT INTO other (v) VALUES (?)', ['from elsewhere']);
    } finally {
      other.close();
    }
    expect(db.writeMark('users')).not.toBe(mark);
  });

  it('is null inside a transaction', () => {
    db.transaction(() => {
      expect(db.writeMark('users')).toBeNull();
    });
    expect(db.writeMark('users')).not.toBeNull();
  });

  it('is null while a trigger or a foreign key can carry a write to another table', () => {
    db.exec("CREATE TRIGGER copy AFTER INSERT ON other BEGIN UPDATE users SET name = NEW.v; END");
    expect(db.writeMark('users')).toBeNull();
    db.exec('DROP TRIGGER copy');
    expect(db.writeMark('users')).not.toBeNull();
    db.exec('CREATE TABLE child (id INTEGER PRIMARY KEY, owner TEXT REFERENCES users (id) ON DELETE SET NULL)');
    expect(db.writeMark('users')).toBeNull();
    // Made by another connection: seen through the schema version.
    db.exec('DROP TABLE child');
    expect(db.writeMark('users')).not.toBeNull();
    const other = openDatabase(join(dir, 'data.db'));
    try {
      other.exec("CREATE TRIGGER copy2 AFTER INSERT ON other BEGIN UPDATE users SET name = NEW.v; END");
    } finally {
      other.close();
    }
    expect(db.writeMark('users')).toBeNull();
  });

  it('is null after a trigger made through run() on this connection', () => {
    expect(db.writeMark('users')).not.toBeNull();
    db.run("CREATE TRIGGER copy3 AFTER INSERT ON other BEGIN UPDATE users SET name = NEW.v; END");
    expect(db.writeMark('users')).toBeNull();
  });
});
