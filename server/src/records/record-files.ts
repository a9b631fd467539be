/**
 * File fields on writes. Before the transaction, uploads in a body are checked against their
 * field (size, type), given stored names and written to storage; if the transaction then fails,
 * those blobs are deleted again (no orphans, nothing else touched). After the commit, blobs no
 * longer referenced — replaced, removed with `field-` or '', or of a deleted record — are deleted.
 */
import { findField, isMultiValued, type Collection, type Field } from '../collections/model.ts';
import { storedList, toStringList } from '../collections/fields/values.ts';
import { AppError, fieldError, validationError, type FieldError } from '../shared/errors.ts';
import { isUpload, recordFilesPrefix, type RecordFileStore, type UploadedFile } from '../shared/uploads.ts';
import type { ChangeSink } from './change-log.ts';

/** PocketBase's default when a file field sets no maxSize. */
export const DEFAULT_FILE_MAX_SIZE = 5 * 1024 * 1024;

const FILE_KEY = /^(\+)?([A-Za-z_][A-Za-z0-9_]*)([+-])?$/;

export const fileMaxSize = (field: Field): number => (Number(field.maxSize) > 0 ? Number(field.maxSize) : DEFAULT_FILE_MAX_SIZE);

export interface PreparedFiles {
  /** The body with every upload replaced by its stored name. */
  body: Record<string, unknown>;
  /** Names given to this request's uploads (the only new names a file field may take). */
  newNames: Set<string>;
  puts: Array<{ key: string; file: UploadedFile }>;
}

export const noFiles = (body: Record<string, unknown>): PreparedFiles => ({ body, newNames: new Set(), puts: [] });

function checkUpload(field: Field, file: UploadedFile): FieldError | undefined {
  const max = fileMaxSize(field);
  if (file.size > max) return fieldError('validation_file_size_limit', `Failed to upload "${file.name}" - the maximum allowed file size is ${max} bytes.`);
  const types = Array.isArray(field.mimeTypes) ? field.mimeTypes : [];
  if (types.length > 0 && !types.includes(file.type)) {
    return fieldError('validation_invalid_mime_type', `"${file.name}" mime type must be one of: ${types.join(', ')}.`);
  }
  return undefined;
}

/** Names the uploads of `body` (without storing them); throws a 400 naming the bad fields. */
export function nameUploads(
  store: RecordFileStore | undefined,
  collection: Collection,
  recordId: string,
  body: Record<string, unknown>,
): PreparedFiles {
  if (!carriesUploads(body)) {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(body)) copy[key] = body[key];
    return { body: copy, newNames: new Set(), puts: [] };
  }
  const out: PreparedFiles = { body: {}, newNames: new Set(), puts: [] };
  const errors: Record<string, FieldError> = {};
  for (const [key, value] of Object.entries(body)) {
    const items = Array.isArray(value) ? value : [value];
    if (!items.some(isUpload)) {
      out.body[key] = value;
      continue;
    }
    const field = findField(collection, FILE_KEY.exec(key)?.[2] ?? '');
    if (!field || field.type !== 'file' || key.endsWith('-')) {
      if (field) errors[field.name] = fieldError('validation_invalid_value', 'Files can only be uploaded to file fields.');
      continue;
    }
    if (!store) throw new AppError('internal', 'File storage is not configured.');
    const names: unknown[] = [];
    for (const item of items) {
      if (!isUpload(item)) {
        names.push(item);
        continue;
      }
      const err = checkUpload(field, item);
      if (err) {
        errors[field.name] = err;
        continue;
      }
      const name = store.newName(item.name, item.type);
      out.newNames.add(name);
      out.puts.push({ key: recordFilesPrefix(collection.id, recordId) + name, file: item });
      names.push(name);
    }
    out.body[key] = isMultiValued(field) || names.length !== 1 ? names : names[0];
  }
  if (Object.keys(errors).length > 0) throw validationError('Failed to upload files.', errors);
  return out;
}

/** Whether any value of the body is an upload (or a list holding one): JSON bodies never are. */
function carriesUploads(body: Record<string, unknown>): boolean {
  for (const key of Object.keys(body)) {
    const value = body[key];
    if (Array.isArray(value) ? value.some(isUpload) : isUpload(value)) return true;
  }
  return false;
}

/** Writes the named uploads to storage; if one fails, those already written are deleted. */
export async function storeUploads(store: RecordFileStore | undefined, prepared: PreparedFiles[]): Promise<void> {
  const puts = prepared.flatMap((p) => p.puts);
  if (!store || puts.length === 0) return;
  const done: string[] = [];
  try {
    for (const { key, file } of puts) {
      await store.put(key, file);
      done.push(key);
    }
  } catch (err) {
    await store.delete(done).catch(() => undefined);
    throw new AppError('internal', 'Failed to store the uploaded files.', {}, { cause: err });
  }
}

/** After a failed transaction: the blobs it would have referenced. */
export async function unstoreUploads(store: RecordFileStore | undefined, prepared: PreparedFiles[]): Promise<void> {
  const keys = prepared.flatMap((p) => p.puts.map((x) => x.key));
  if (store && keys.length > 0) await store.delete(keys);
}

/**
 * A file field's value as the write may set it: names already stored on the record, or given to
 * this request's uploads. Any other string (someone else's file, a made-up path) is dropped.
 */
export function keepKnownFiles(value: unknown, current: unknown, newNames: ReadonlySet<string>): unknown {
  const existing = new Set(storedList(current));
  const list = toStringList(value, { split: true });
  if (list === undefined) return value; // not names at all: validation reports it
  return list.filter((v) => existing.has(v) || newNames.has(v));
}

/** Names in `value` that are neither the field's current files nor this request's uploads (PocketBase: `validation_invalid_file`). */
export function unknownFiles(value: unknown, current: unknown, newNames: ReadonlySet<string>): string[] {
  const existing = new Set(storedList(current));
  const list = toStringList(value, { split: true });
  return list === undefined ? [] : list.filter((v) => v !== '' && !existing.has(v) && !newNames.has(v));
}

/** Per collection version: its file fields. */
const fileFieldsOf = new WeakMap<Collection, Field[]>();

function fileFieldsIn(collection: Collection): Field[] {
  let out = fileFieldsOf.get(collection);
  if (!out) fileFieldsOf.set(collection, (out = collection.fields.filter((f) => f.type === 'file')));
  return out;
}

/** Keys of blobs the committed changes no longer reference. */
export function orphanedBy(sink: ChangeSink): { keys: string[]; prefixes: string[] } {
  const keys: string[] = [];
  const prefixes: string[] = [];
  for (const c of sink.committed()) {
    const fileFields = fileFieldsIn(c.collection);
    if (fileFields.length === 0) continue;
    const id = String(c.record.id);
    if (c.action === 'delete') prefixes.push(recordFilesPrefix(c.collection.id, id));
    if (c.action !== 'update' || !c.previous) continue;
    for (const f of fileFields) {
      const now = new Set(storedList(c.record[f.name]));
      for (const old of storedList(c.previous[f.name])) if (!now.has(old)) keys.push(recordFilesPrefix(c.collection.id, id) + old);
    }
  }
  return { keys, prefixes };
}

/**
 * Deletes what the committed changes orphaned. Failures are reported, never thrown: the write has
 * happened. Nothing to delete (no store, no blob orphaned): undefined, nothing to wait for.
 */
export function deleteOrphans(store: RecordFileStore | undefined, sink: ChangeSink, onError: (err: unknown) => void): Promise<void> | undefined {
  if (!store) return undefined;
  const { keys, prefixes } = orphanedBy(sink);
  if (keys.length === 0 && prefixes.length === 0) return undefined;
  return (async () => {
    try {
      if (keys.length > 0) await store.delete(keys);
      for (const p of prefixes) await store.deletePrefix(p);
    } catch (err) {
      onError(err);
    }
  })();
}
