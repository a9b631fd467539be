/**
 * Who may download a stored file (GET /api/files/…). As in PocketBase: the file must be a
 * current value of one of the record's file fields; an unprotected file is public to whoever
 * has its (unguessable) URL; a protected one needs the collection's viewRule to admit the caller
 * identified by the file token. Everything else is a 404 that tells nothing.
 */
import { quoteIdent } from '../db/sql.ts';
import { notFound } from '../shared/errors.ts';
import { storedList } from '../collections/fields/values.ts';
import type { Collection, Field } from '../collections/model.ts';
import { isAppError } from '../shared/errors.ts';
import type { RequestInfo } from '../rules/index.ts';
import { recordFilesPrefix } from '../shared/uploads.ts';
import type { RecordsDeps } from './deps.ts';
import { loadRowUnderRule } from './view-record.ts';
import type { Row } from './serialize.ts';

export interface StoredFileRef {
  collection: Collection;
  field: Field;
  /** The storage key of the original. */
  key: string;
}

export function findDownloadable(
  deps: RecordsDeps,
  collectionName: string,
  recordId: string,
  filename: string,
  info: RequestInfo,
): StoredFileRef {
  const collection = deps.registry.find(collectionName);
  if (!collection || collection.type === 'view' || recordId === '' || filename === '') throw notFound();
  const row = deps.db.get<Row>(`SELECT * FROM ${quoteIdent(collection.name)} WHERE "id" = ?`, [recordId]);
  if (!row) throw notFound();
  const field = collection.fields.find((f) => f.type === 'file' && storedList(row[f.name]).includes(filename));
  if (!field) throw notFound();
  if (field.protected) {
    try {
      loadRowUnderRule(deps, collection, recordId, 'viewRule', info);
    } catch (err) {
      if (isAppError(err)) throw notFound();
      throw err;
    }
  }
  return { collection, field, key: recordFilesPrefix(collection.id, recordId) + filename };
}
