/**
 * The schema version shared by every process that opens the data dir. Each change of a
 * collection definition bumps it in the same transaction (so a rolled-back change bumps
 * nothing); a running server compares it with the version its registry was loaded at. It lives
 * in SQLite's `user_version` header field: transactional, and read without touching a table.
 * Hearth's own migrations are tracked in `_migrations`, so the field is free for this.
 *
 * Checking per request is cheap in two steps: `PRAGMA data_version` changes only when another
 * connection commits, so the common case (no other writer) costs one pragma and reads nothing.
 */
import type { SqlDb } from './database.ts';

export function readSchemaVersion(db: SqlDb): number {
  return Number(db.pluck('PRAGMA user_version')[0] ?? 0);
}

/** Call inside the transaction that changes a collection definition. */
export function bumpSchemaVersion(db: SqlDb): void {
  // A pragma takes no bound parameters; the value is an integer we computed.
  db.exec(`PRAGMA user_version = ${(readSchemaVersion(db) + 1) | 0}`);
}

/** data_version per connection for the current event-loop turn (cleared when the turn ends). */
const turnVersions = new Map<SqlDb, number>();
const endTurn = (): void => turnVersions.clear();

/**
 * `db.dataVersion()` read at most once per event-loop turn and shared by every caller in it: the
 * per-request checks (the schema's staleness, the write mark of the auth record behind a token)
 * cost one pragma per turn, however many requests the turn serves. Requests read in one turn
 * arrived before its first read, so every commit of another connection that a request could
 * have known of when it was sent is in that value. null when the database is busy (not kept).
 */
export function turnDataVersion(db: SqlDb): number | null {
  const seen = turnVersions.get(db);
  if (seen !== undefined) return seen;
  const now = db.dataVersion();
  if (now === null) return null;
  if (turnVersions.size === 0) setImmediate(endTurn);
  turnVersions.set(db, now);
  return now;
}

/**
 * Like `otherWriterProbe`, on the turn's data_version (`turnDataVersion`); true at most once per
 * turn for a given commit, for callers that check once per turn anyway.
 */
export function turnWriterProbe(db: SqlDb): () => boolean {
  let seen = db.dataVersion();
  return () => {
    const now = turnDataVersion(db);
    if (now === null) return true; // busy: unknown, so the caller looks
    if (now === seen) return false;
    seen = now;
    return true;
  };
}

/** Returns a probe answering true when another connection has committed since its last call. */
export function otherWriterProbe(db: SqlDb): () => boolean {
  const read = () => Number(db.pluck('PRAGMA data_version')[0]);
  let seen = read();
  return () => {
    const now = read();
    if (now === seen) return false;
    seen = now;
    return true;
  };
}
