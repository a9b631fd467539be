/**
 * SQL over the `_sessions` table (created by db/ migrations). Dates use the PocketBase format,
 * which sorts lexicographically, so expiry comparisons can run in SQL. `q` is the engine, or a
 * transaction when the caller groups several statements.
 */
import type { SqlQueryable, Steps } from '../db/index.ts';

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
  insert(row: Omit<SessionRow, 'userAgent' | 'ip'> & { userAgent?: string; ip?: string }): Promise<SessionRow>;
  get(id: string): Promise<SessionRow | undefined>;
  listForRecord(collectionId: string, recordId: string): Promise<SessionRow[]>;
  extend(id: string, expires: string, lastUsed: string): Promise<boolean>;
  delete(id: string): Promise<SessionRow | undefined>;
  deleteForRecord(collectionId: string, recordId: string): Promise<number>;
  /** Deletes the record's expired sessions and all but its `keep` most recently used. */
  trimForRecord(collectionId: string, recordId: string, nowDate: string, keep: number): Promise<number>;
  deleteExpired(nowDate: string): Promise<number>;
}

const SELECT_ONE = 'SELECT * FROM "_sessions" WHERE "id" = ?';

/** One session row, as a step (token verification runs on either interface, see db/steps.ts). */
export function* sessionById(id: string): Steps<SessionRow | undefined> {
  const rows = yield { sql: SELECT_ONE, params: [id] };
  return rows[0] as SessionRow | undefined;
}

/** Records when a session was last used; best effort (a busy database must not fail authentication). */
export function* touchSession(id: string, lastUsed: string): Steps<void> {
  try {
    yield { sql: 'UPDATE "_sessions" SET "lastUsed" = ? WHERE "id" = ?', params: [lastUsed, id], write: true };
  } catch {
    // lastUsed is informational.
  }
}

/** "No limit" both engines accept before an OFFSET (SQLite's `LIMIT -1` is refused by PostgreSQL). */
const NO_LIMIT = '9223372036854775807';

export function createSessionStore(q: SqlQueryable): SessionStore {
  return {
    async insert(row) {
      const full: SessionRow = { ...row, userAgent: clip(row.userAgent), ip: clip(row.ip) };
      await q.run(
        `INSERT INTO "_sessions" ("id", "collectionId", "recordId", "created", "expires", "lastUsed", "userAgent", "ip")
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [full.id, full.collectionId, full.recordId, full.created, full.expires, full.lastUsed, full.userAgent, full.ip],
      );
      return full;
    },
    get: (id) => q.get<SessionRow>(SELECT_ONE, [id]),
    listForRecord: (collectionId, recordId) =>
      q.all<SessionRow>(
        'SELECT * FROM "_sessions" WHERE "collectionId" = ? AND "recordId" = ? ORDER BY "lastUsed" DESC, "id"',
        [collectionId, recordId],
      ),
    extend: async (id, expires, lastUsed) =>
      (await q.run('UPDATE "_sessions" SET "expires" = ?, "lastUsed" = ? WHERE "id" = ?', [expires, lastUsed, id])).changes > 0,
    async delete(id) {
      // One statement: the row that was deleted, if any.
      return q.get<SessionRow>('DELETE FROM "_sessions" WHERE "id" = ? RETURNING *', [id]);
    },
    deleteForRecord: async (collectionId, recordId) =>
      (await q.run('DELETE FROM "_sessions" WHERE "collectionId" = ? AND "recordId" = ?', [collectionId, recordId])).changes,
    async trimForRecord(collectionId, recordId, nowDate, keep) {
      const expired = (await q.run(
        'DELETE FROM "_sessions" WHERE "collectionId" = ? AND "recordId" = ? AND "expires" <= ?',
        [collectionId, recordId, nowDate],
      )).changes;
      const surplus = (await q.run(
        `DELETE FROM "_sessions" WHERE "id" IN (
           SELECT "id" FROM "_sessions" WHERE "collectionId" = ? AND "recordId" = ?
           ORDER BY "lastUsed" DESC, "created" DESC LIMIT ${NO_LIMIT} OFFSET ?)`,
        [collectionId, recordId, keep],
      )).changes;
      return expired + surplus;
    },
    deleteExpired: async (nowDate) => (await q.run('DELETE FROM "_sessions" WHERE "expires" <= ?', [nowDate])).changes,
  };
}
