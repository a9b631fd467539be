/**
 * SQL over the `_sessions` table (created by db/ migrations). Dates use the PocketBase format,
 * which sorts lexicographically, so expiry comparisons can run in SQL.
 */
import type { SqlDb } from '../db/index.ts';

export interface SessionRow {
  id: string;
  collectionId: string;
  recordId: string;
  created: string;
  expires: string;
  lastUsed: string;
  userAgent: string;
  ip: string;
}

/** Client-supplied metadata is stored for the session list, truncated so it cannot bloat rows. */
const MAX_META_LENGTH = 512;
const clip = (s: string | undefined): string => (s ?? '').slice(0, MAX_META_LENGTH);

export interface SessionStore {
  insert(row: Omit<SessionRow, 'userAgent' | 'ip'> & { userAgent?: string; ip?: string }): SessionRow;
  get(id: string): SessionRow | undefined;
  listForRecord(collectionId: string, recordId: string): SessionRow[];
  extend(id: string, expires: string, lastUsed: string): boolean;
  touch(id: string, lastUsed: string): void;
  delete(id: string): SessionRow | undefined;
  deleteForRecord(collectionId: string, recordId: string): number;
  /** Deletes the record's expired sessions and all but its `keep` most recently used. */
  trimForRecord(collectionId: string, recordId: string, nowDate: string, keep: number): number;
  deleteExpired(nowDate: string): number;
}

export function createSessionStore(db: SqlDb): SessionStore {
  return {
    insert(row) {
      const full: SessionRow = { ...row, userAgent: clip(row.userAgent), ip: clip(row.ip) };
      db.run(
        `INSERT INTO "_sessions" ("id", "collectionId", "recordId", "created", "expires", "lastUsed", "userAgent", "ip")
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [full.id, full.collectionId, full.recordId, full.created, full.expires, full.lastUsed, full.userAgent, full.ip],
      );
      return full;
    },
    get: (id) => db.get<SessionRow>('SELECT * FROM "_sessions" WHERE "id" = ?', [id]),
    listForRecord: (collectionId, recordId) =>
      db.all<SessionRow>(
        'SELECT * FROM "_sessions" WHERE "collectionId" = ? AND "recordId" = ? ORDER BY "lastUsed" DESC, "id"',
        [collectionId, recordId],
      ),
    extend: (id, expires, lastUsed) =>
      db.run('UPDATE "_sessions" SET "expires" = ?, "lastUsed" = ? WHERE "id" = ?', [expires, lastUsed, id]).changes > 0,
    touch(id, lastUsed) {
      db.run('UPDATE "_sessions" SET "lastUsed" = ? WHERE "id" = ?', [lastUsed, id]);
    },
    delete(id) {
      return db.transaction(() => {
        const row = db.get<SessionRow>('SELECT * FROM "_sessions" WHERE "id" = ?', [id]);
        if (row) db.run('DELETE FROM "_sessions" WHERE "id" = ?', [id]);
        return row;
      });
    },
    deleteForRecord: (collectionId, recordId) =>
      db.run('DELETE FROM "_sessions" WHERE "collectionId" = ? AND "recordId" = ?', [collectionId, recordId]).changes,
    trimForRecord(collectionId, recordId, nowDate, keep) {
      return db.transaction(() => {
        const expired = db.run(
          'DELETE FROM "_sessions" WHERE "collectionId" = ? AND "recordId" = ? AND "expires" <= ?',
          [collectionId, recordId, nowDate],
        ).changes;
        const surplus = db.run(
          `DELETE FROM "_sessions" WHERE "id" IN (
             SELECT "id" FROM "_sessions" WHERE "collectionId" = ? AND "recordId" = ?
             ORDER BY "lastUsed" DESC, "created" DESC LIMIT -1 OFFSET ?)`,
          [collectionId, recordId, keep],
        ).changes;
        return expired + surplus;
      });
    },
    deleteExpired: (nowDate) => db.run('DELETE FROM "_sessions" WHERE "expires" <= ?', [nowDate]).changes,
  };
}
