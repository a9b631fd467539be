/**
 * Rate-limit buckets in the database (`_rateLimits`), for deployments where several workers or
 * machines serve one database: a bucket is read, refilled, charged and written back inside one
 * write transaction, so two workers can never both spend its last token. Idle rows (full again)
 * are pruned; past `maxKeys` the least recently touched go first, as in the memory store.
 */
import type { SqlDb } from '../db/index.ts';
import { DEFAULT_RATE_LIMIT_MAX_KEYS, type Bucket, type BucketStore } from './rate-limit.ts';

export function createDbBucketStore(db: SqlDb, maxKeys: number = DEFAULT_RATE_LIMIT_MAX_KEYS): BucketStore {
  return {
    update(id, _nowMs, next) {
      return db.transaction(() => {
        const row = db.get<{ tokens: number; updated: number }>('SELECT "tokens", "updated" FROM "_rateLimits" WHERE "id" = ?', [id]);
        const stored: Bucket | undefined = row ? { tokens: row.tokens, updatedMs: row.updated } : undefined;
        const { bucket, result } = next(stored);
        db.run(
          'INSERT INTO "_rateLimits" ("id", "tokens", "updated") VALUES (?, ?, ?) ON CONFLICT("id") DO UPDATE SET "tokens" = excluded."tokens", "updated" = excluded."updated"',
          [id, bucket.tokens, bucket.updatedMs],
        );
        return result;
      });
    },
    prune(nowMs, idleMs) {
      db.transaction(() => {
        db.run('DELETE FROM "_rateLimits" WHERE "updated" < ?', [nowMs - idleMs]);
        const excess = (db.pluck<number>('SELECT COUNT(*) FROM "_rateLimits"')[0] ?? 0) - maxKeys;
        if (excess > 0) db.run('DELETE FROM "_rateLimits" WHERE "id" IN (SELECT "id" FROM "_rateLimits" ORDER BY "updated" LIMIT ?)', [excess]);
      });
    },
    clear() {
      db.run('DELETE FROM "_rateLimits"');
    },
    get size() {
      return db.pluck<number>('SELECT COUNT(*) FROM "_rateLimits"')[0] ?? 0;
    },
  };
}
