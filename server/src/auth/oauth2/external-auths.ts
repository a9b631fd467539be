/**
 * `_externalAuths`: which provider account (provider + its user id) is linked to which auth
 * record. One provider account links to at most one record per collection, and a record has
 * at most one account per provider (a new link for the same provider replaces the old one).
 */
import type { SqlEngine } from '../../db/index.ts';
import { formatDate } from '../../shared/clock.ts';
import { newId } from '../../shared/ids.ts';

export interface ExternalAuthRow {
  id: string;
  collectionRef: string;
  recordRef: string;
  provider: string;
  providerId: string;
  created: string;
  updated: string;
}

export interface ExternalAuths {
  find(collectionId: string, provider: string, providerId: string): Promise<ExternalAuthRow | undefined>;
  link(collectionId: string, recordId: string, provider: string, providerId: string): Promise<void>;
  listForRecord(collectionId: string, recordId: string): Promise<ExternalAuthRow[]>;
  delete(id: string): Promise<void>;
  forgetRecord(collectionId: string, recordId: string): Promise<void>;
}

export function createExternalAuths(db: SqlEngine, clock: () => number = Date.now): ExternalAuths {
  return {
    find: (collectionId, provider, providerId) =>
      db.get<ExternalAuthRow>('SELECT * FROM "_externalAuths" WHERE "collectionRef" = ? AND "provider" = ? AND "providerId" = ?', [
        collectionId,
        provider,
        providerId,
      ]),
    async link(collectionId, recordId, provider, providerId) {
      const stamp = formatDate(new Date(clock()));
      await db.transaction(async (tx) => {
        await tx.run('DELETE FROM "_externalAuths" WHERE "collectionRef" = ? AND "recordRef" = ? AND "provider" = ?', [collectionId, recordId, provider]);
        await tx.run(
          'INSERT INTO "_externalAuths" ("id", "collectionRef", "recordRef", "provider", "providerId", "created", "updated") VALUES (?, ?, ?, ?, ?, ?, ?)',
          [newId(), collectionId, recordId, provider, providerId, stamp, stamp],
        );
      });
    },
    listForRecord: (collectionId, recordId) =>
      db.all<ExternalAuthRow>('SELECT * FROM "_externalAuths" WHERE "collectionRef" = ? AND "recordRef" = ? ORDER BY "created"', [
        collectionId,
        recordId,
      ]),
    async delete(id) {
      await db.run('DELETE FROM "_externalAuths" WHERE "id" = ?', [id]);
    },
    async forgetRecord(collectionId, recordId) {
      await db.run('DELETE FROM "_externalAuths" WHERE "collectionRef" = ? AND "recordRef" = ?', [collectionId, recordId]);
    },
  };
}
