/**
 * Multi-factor sign-in, PocketBase's `mfaId` flow. With `mfa.enabled` on a collection (and
 * `mfa.rule` matching the record, "" = everyone), a first successful factor issues no token:
 * it stores an `_mfas` row and the client gets 401 `{mfaId}`. The second factor (a different
 * method: password, otp or oauth2) passes that `mfaId` (query or body); if it belongs to the
 * same record, is unexpired and the method differs, the row is deleted and a token is issued.
 */
import type { SqlQueryable } from '../db/index.ts';
import type { Collection } from '../collections/model.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import type { RequestInfo } from '../rules/index.ts';
import { badRequest } from '../shared/errors.ts';
import { formatDate } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import type { AuthRecord } from './auth-records.ts';
import { recordMatches } from './auth-rule.ts';

export type AuthMethod = 'password' | 'otp' | 'oauth2';

/** PocketBase's default MFA window: 30 minutes to present the second factor. */
export const DEFAULT_MFA_DURATION_SECONDS = 1800;

interface MfaOptions {
  enabled?: boolean;
  duration?: number;
  rule?: string;
}

interface MfaRow {
  id: string;
  collectionRef: string;
  recordRef: string;
  method: string;
  created: string;
}

export const mfaOptions = (collection: Collection): MfaOptions => (collection.auth?.mfa ?? {}) as MfaOptions;

export function mfaDuration(collection: Collection): number {
  const d = mfaOptions(collection).duration;
  return typeof d === 'number' && d > 0 ? d : DEFAULT_MFA_DURATION_SECONDS;
}

export interface Mfa {
  /**
   * Called after a factor succeeded. Returns a new mfaId when another factor is needed, or null
   * when a token may be issued. Throws 400 for an invalid, expired, foreign or same-method mfaId.
   */
  check(collection: Collection, record: AuthRecord, method: AuthMethod, mfaId: string | undefined, info: RequestInfo): Promise<string | null>;
  forgetRecord(collectionId: string, recordId: string): Promise<void>;
}

export function createMfa(deps: { db: SqlQueryable; registry: CollectionRegistry; clock?: () => number }): Mfa {
  const { db } = deps;
  const clock = deps.clock ?? Date.now;

  async function wanted(collection: Collection, record: AuthRecord, info: RequestInfo): Promise<boolean> {
    const options = mfaOptions(collection);
    if (options.enabled !== true) return false;
    const rule = typeof options.rule === 'string' ? options.rule.trim() : '';
    // Like PocketBase: a rule that fails to evaluate asks for MFA (the safer default).
    try {
      return rule === '' || (await recordMatches(deps, collection, record, rule, info));
    } catch {
      return true;
    }
  }

  return {
    async check(collection, record, method, mfaId, info) {
      if (!(await wanted(collection, record, info))) return null;
      const nowMs = clock();
      if (!mfaId) {
        // Abandoned first factors expire; clear this collection's stale ones while we are here.
        const cutoff = formatDate(new Date(nowMs - mfaDuration(collection) * 1000));
        await db.run('DELETE FROM "_mfas" WHERE "collectionRef" = ? AND "created" <= ?', [collection.id, cutoff]);
        const id = newId();
        const stamp = formatDate(new Date(nowMs));
        await db.run('INSERT INTO "_mfas" ("id", "collectionRef", "recordRef", "method", "created", "updated") VALUES (?, ?, ?, ?, ?, ?)', [
          id,
          collection.id,
          record.id,
          method,
          stamp,
          stamp,
        ]);
        return id;
      }
      const row = await db.get<MfaRow>('SELECT * FROM "_mfas" WHERE "id" = ?', [mfaId]);
      const expired = row && Date.parse(row.created.replace(' ', 'T')) + mfaDuration(collection) * 1000 <= nowMs;
      if (!row || expired) {
        if (row) await db.run('DELETE FROM "_mfas" WHERE "id" = ?', [row.id]);
        throw badRequest('Invalid or expired MFA session.');
      }
      if (row.recordRef !== record.id || row.collectionRef !== collection.id) throw badRequest('Invalid MFA session.');
      if (row.method === method) throw badRequest('A different authentication method is required.');
      // Single use: a second request with the same mfaId loses this race and gets 400.
      if ((await db.run('DELETE FROM "_mfas" WHERE "id" = ?', [row.id])).changes === 0) throw badRequest('Invalid or expired MFA session.');
      return null;
    },
    async forgetRecord(collectionId, recordId) {
      await db.run('DELETE FROM "_mfas" WHERE "collectionRef" = ? AND "recordRef" = ?', [collectionId, recordId]);
    },
  };
}
