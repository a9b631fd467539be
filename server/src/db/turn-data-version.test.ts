/** The per-turn data_version: one read per event-loop turn, every other connection's earlier commit seen in the next turn. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqlDb } from './database.ts';
import { turnDataVersion, turnWriterProbe } from './schema-version.ts';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('turnDataVersion', () => {
  let dir: string;
  let db: SqlDb;
  const commitElsewhere = (): void => {
    const other = openDatabase(join(dir, 'data.db'));
    try {
      other.run('INSERT INTO t (v) VALUES (?)', ['elsewhere']);
    } finally {
      other.close();
    }
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hearth-turn-'));
    db = openDatabase(join(dir, 'data.db'));
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is read once per turn and moves in the next turn after another connection commits', async () => {
    await nextTurn();
    const first = turnDataVersion(db);
    expect(first).toBe(db.dataVersion());
    commitElsewhere();
    expect(db.dataVersion()).not.toBe(first); // the connection itself has seen it…
    expect(turnDataVersion(db)).toBe(first); // …the turn keeps the value its first read gave
    await nextTurn();
    expect(turnDataVersion(db)).toBe(db.dataVersion());
    expect(turnDataVersion(db)).not.toBe(first);
  });

  it('gives write marks that move with the next turn, and with this connection’s own writes at once', async () => {
    await nextTurn();
    const mark = db.writeMark('t', turnDataVersion(db));
    expect(mark).not.toBeNull();
    db.run('INSERT INTO t (v) VALUES (?)', ['here']);
    const own = db.writeMark('t', turnDataVersion(db));
    expect(own).not.toBe(mark);
    commitElsewhere();
    expect(db.writeMark('t', turnDataVersion(db))).toBe(own);
    await nextTurn();
    expect(db.writeMark('t', turnDataVersion(db))).not.toBe(own);
    expect(db.writeMark('t', null)).toBeNull();
  });

  it('drives a probe that answers once per commit', async () => {
    const probe = turnWriterProbe(db);
    await nextTurn();
    expect(probe()).toBe(false);
    commitElsewhere();
    await nextTurn();
    expect(probe()).toBe(true);
    expect(probe()).toBe(false);
    await nextTurn();
    expect(probe()).toBe(false);
  });
});
