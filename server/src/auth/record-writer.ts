/**
 * What auth/ needs from the records domain, injected by the composition root (auth/ may not
 * import records/). Writes go through the records service so that validation, password hashing,
 * tokenKey rotation, session revocation, the change log and realtime events all happen exactly
 * as for a REST write.
 */
import type { Collection } from '../collections/model.ts';
import type { RequestInfo } from '../rules/index.ts';

export interface RecordWriter {
  /** Creates a record as the caller in `info` (createRule applies); resolves with the new id. */
  create(collection: Collection, body: Record<string, unknown>, info: RequestInfo): Promise<string>;
  /**
   * Updates a record with system privileges (rules bypassed, `verified`/`email` writable). A new
   * `password` (with `passwordConfirm`) or `email` rotates the tokenKey and ends every session.
   */
  update(collection: Collection, id: string, body: Record<string, unknown>): Promise<void>;
}
