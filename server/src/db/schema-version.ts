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
