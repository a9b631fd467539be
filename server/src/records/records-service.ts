/**
 * The records service: CRUD entry points used by http/ (and later the SDK-facing CLI). Each write
 * runs in one transaction and emits its change events after the commit.
 */
import type { RequestInfo } from '../rules/index.ts';
import type { RecordsDeps } from './deps.ts';
import { listRecords, listRecordsForClient, type ListResult } from './list-records.ts';
import type { ListQuery } from './list-params.ts';
import { viewRecord } from './view-record.ts';
import { createSteps } from './create-record.ts';
import { updateSteps } from './update-record.ts';
import { deleteSteps, truncateSteps } from './delete-record.ts';
import { runBatch, type BatchLimits, type BatchResponse } from './batch.ts';
import { finishRecords, type ReadOptions } from './read-options.ts';
import { serializeRecord, type ApiRecord } from './serialize.ts';
import { checkOldPassword, hashPasswordIfSent } from './write-context.ts';
import type { Collection } from '../collections/model.ts';
import { nameUploads, noFiles } from './record-files.ts';
import { writeSteps } from './write-files.ts';
import { newId } from '../shared/ids.ts';
import { findDownloadable, type StoredFileRef } from './file-access.ts';

export interface RecordsService {
  list(collection: string, query: ListQuery, info: RequestInfo): Promise<ListResult>;
  /**
   * `list` for HTTP clients: costly queries run on a read worker within the query budget. On
   * SQLite the rest answer in the caller's turn, as a value (a refusal is then thrown at once).
   */
  listForClient(collection: string, query: ListQuery, info: RequestInfo): ListResult | Promise<ListResult>;
  /** On SQLite, in the caller's turn as `listForClient`. */
  view(collection: string, id: string, opts: ReadOptions, info: RequestInfo): ApiRecord | Promise<ApiRecord>;
  create(collection: string, body: Record<string, unknown>, opts: ReadOptions, info: RequestInfo): Promise<ApiRecord>;
  update(collection: string, id: string, body: Record<string, unknown>, opts: ReadOptions, info: RequestInfo): Promise<ApiRecord>;
  delete(collection: string, id: string, info: RequestInfo): Promise<void>;
  /** Deletes every record (superuser action: no rules), each as a record delete, in one transaction. */
  truncate(collection: string, info: RequestInfo): Promise<void>;
  batch(requests: unknown, info: RequestInfo, limits?: BatchLimits): Promise<BatchResponse[]>;
  /** A stored row as `info`'s caller sees it, with `expand`/`fields` applied (e.g. auth responses). */
  present(collection: Collection, row: Record<string, unknown>, opts: ReadOptions, info: RequestInfo): Promise<ApiRecord>;
  /** The stored file a download names, if the caller may read it (else 404). */
  downloadable(collection: string, id: string, filename: string, info: RequestInfo): Promise<StoredFileRef>;
}

export function createRecordsService(input: Omit<RecordsDeps, 'q'>): RecordsService {
  const deps: RecordsDeps = { ...input, q: input.engine };
  /** The written row as the caller sees it: a value when there is nothing to finish (no expand, fields or managed email). */
  const finished = (collection: Collection, row: Record<string, unknown>, opts: ReadOptions, info: RequestInfo): ApiRecord | Promise<ApiRecord> => {
    const records = [serializeRecord(collection, row, info)];
    if (collection.type !== 'auth' && !opts.expand && !opts.fields) return records[0]!;
    return finishRecords(deps, collection, records, opts, info).then((out) => out[0]!);
  };
  return {
    list: (collection, query, info) => listRecords(deps, collection, query, info),
    listForClient: (collection, query, info) => listRecordsForClient(deps, collection, query, info),
    view: (collection, id, opts, info) => viewRecord(deps, collection, id, opts, info),
    async create(name, body, opts, info) {
      const collection = deps.registry.get(name);
      // Awaited only when there is something to wait for (each await is a turn of the microtask queue).
      const hash = typeof body.password === 'string' ? await hashPasswordIfSent(deps, collection, body) : undefined;
      const presetId = typeof body.id === 'string' && body.id !== '' ? undefined : newId();
      const files = { ...nameUploads(deps.files, collection, presetId ?? String(body.id), body), presetId };
      const row = await writeSteps(deps, info, [files], { action: 'create', collection }, (ctx) => createSteps(ctx, collection, files.body, hash, files));
      return finished(collection, row, opts, info);
    },
    async update(name, id, body, opts, info) {
      const collection = deps.registry.get(name);
      if (collection.type === 'auth' && body.password !== undefined) await checkOldPassword(deps, collection, id, body, info);
      const hash = typeof body.password === 'string' ? await hashPasswordIfSent(deps, collection, body) : undefined;
      const files = nameUploads(deps.files, collection, id, body);
      const row = await writeSteps(deps, info, [files], { action: 'update', collection }, (ctx) => updateSteps(ctx, collection, id, files.body, hash, files));
      return finished(collection, row, opts, info);
    },
    async delete(name, id, info) {
      const collection = deps.registry.get(name);
      await writeSteps(deps, info, [noFiles({})], { action: 'delete', collection }, (ctx) => deleteSteps(ctx, collection, id));
    },
    async truncate(name, info) {
      const collection = deps.registry.get(name);
      await writeSteps(deps, info, [noFiles({})], { action: 'delete', collection }, (ctx) => truncateSteps(ctx, collection));
    },
    batch: (requests, info, limits) => runBatch(deps, requests, info, limits),
    present: async (collection, row, opts, info) => (await finishRecords(deps, collection, [serializeRecord(collection, row, info)], opts, info))[0]!,
    downloadable: (collection, id, filename, info) => findDownloadable(deps, collection, id, filename, info),
  };
}
