/**
 * `_externalAuths`: which provider account (provider + its user id) is linked to which auth
 * record. One provider account links to at most one record per collection, and a record has
 * at most one account per provider (a new link for the same provider replaces the old one).
 */
import type { SqlDb } from '../../db/index.ts';
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
  find(collectionId: string, provider: string, providerId: string): ExternalAuthRow | undefined;
  link(collectionId: string, recordId: string, provider: string, providerId: string): void;
  listForRecord(collectionId: string, recordId: string): ExternalAuthRow[];
  delete(id: string): void;
  forgetRecord(collectionId: string, recordId: string): void;
}

export function createExternalAuths(db: SqlDb, clock: () => number = Date.now): ExternalAuths {
  return {
    find: (collectionId, provider, providerId) =>
      db.get<ExternalAuthRow>('SELECT * FROM "_externalAuths" WHERE "collectionRef" = ? AND "provider" = ? AND "providerId" = ?', [
        collectionId,
        provider,
        providerId,
      ]),
    link(collectionId, recordId, provider, providerId) {
      const stamp = formatDate(new Date(clock()));
      db.transaction(() => {
        db.run('DELETE FROM "_externalAuths" WHERE "collectionRef" = ? AND "recordRef" = ? AND "provider" = ?', [collectionId, recordId, provider]);
        db.run(
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
    delete(id) {
      db.run('DELETE FROM "_externalAuths" WHERE "id" = ?', [id]);
    },
    forgetRecord(collectionId, recordId) {
      db.run('DELETE FROM "_externalAuths" WHERE "collectionRef" = ? AND "recordRef" = ?', [collectionId, recordId]);
    },
  };
}
