/**
 * Who may download a stored file (GET /api/files/…). As in PocketBase: the file must be a
 * current value of one of the record's file fields; an unprotected file is public to whoever
 * has its (unguessable) URL; a protected one needs the collection's viewRule to admit the caller
 * identified by the file token. Everything else is a 404 that tells nothing. A view's file
 * field serves the blob of the source record holding that file, under the view's own viewRule.
 */
import { quoteIdent } from '../db/sql.ts';
import { notFound } from '../shared/errors.ts';
import { storedList } from '../collections/fields/values.ts';
import { isMultiValued, type Collection, type Field } from '../collections/model.ts';
import { isAppError } from '../shared/errors.ts';
import { inContext, type RequestInfo } from '../rules/index.ts';
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

export async function findDownloadable(
  deps: RecordsDeps,
  collectionName: string,
  recordId: string,
  filename: string,
  info: RequestInfo,
): Promise<StoredFileRef> {
  const collection = deps.registry.find(collectionName);
  if (!collection || recordId === '' || filename === '') throw notFound();
  const row = await deps.q.get<Row>(`SELECT * FROM ${quoteIdent(collection.name)} WHERE "id" = ?`, [recordId]);
  if (!row) throw notFound();
  const field = collection.fields.find((f) => f.type === 'file' && storedList(row[f.name]).includes(filename));
  if (!field) throw notFound();
  if (field.protected) {
    try {
      await loadRowUnderRule(deps, collection, recordId, 'viewRule', inContext(info, 'protectedFile'));
    } catch (err) {
      if (isAppError(err)) throw notFound();
      throw err;
    }
  }
  if (collection.type !== 'view') return { collection, field, key: recordFilesPrefix(collection.id, recordId) + filename };
  const source = await viewFileSource(deps, collection, field.name, filename);
  if (!source) throw notFound();
  return { collection, field, key: recordFilesPrefix(source.collectionId, source.recordId) + filename };
}

/**
 * The source record of a view's file: a record of a collection the view's query reads with a file
 * field of that name holding `filename` (stored names carry a random suffix, so one matches).
 */
async function viewFileSource(deps: RecordsDeps, view: Collection, fieldName: string, filename: string): Promise<{ collectionId: string; recordId: string } | null> {
  const words = new Set((view.viewQuery ?? '').toLowerCase().match(/[a-z0-9_]+/g) ?? []);
  for (const source of deps.registry.all()) {
    if (source.type === 'view' || !words.has(source.name.toLowerCase())) continue;
    const field = source.fields.find((f) => f.type === 'file' && f.name === fieldName);
    if (!field) continue;
    const column = quoteIdent(field.name);
    const dialect = deps.q.dialect;
    // Postgres types the column (text for one file, jsonb for several); SQLite's may hold either.
    const sql =
      dialect.name === 'sqlite'
        ? `SELECT "id" FROM ${quoteIdent(source.name)} WHERE ${column} = ? OR EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(${column}) THEN ${column} ELSE '[]' END) WHERE json_each.value = ?) LIMIT 1`
        : isMultiValued(field)
          ? `SELECT "id" FROM ${quoteIdent(source.name)} WHERE EXISTS (SELECT 1 FROM ${dialect.jsonEach(column, 'je')} WHERE je.value = ?) LIMIT 1`
          : `SELECT "id" FROM ${quoteIdent(source.name)} WHERE ${column} = ? LIMIT 1`;
    const row = await deps.q.get<{ id: string }>(sql, dialect.name === 'sqlite' ? [filename, filename] : [filename]);
    if (row) return { collectionId: source.id, recordId: row.id };
  }
  return null;
}
