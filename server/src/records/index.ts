/**
 * records/ — CRUD, list, expand and batch over collection tables; writes the change log in each
 * write transaction and emits RecordChanged after commit. Imports rules/, query/, collections/,
 * db/, shared/. Entry point: createRecordsService(deps).
 */
export { createRecordsService, type RecordsService } from './records-service.ts';
export type { RecordsDeps } from './deps.ts';
export { serializeRecord, type ApiRecord, type Row } from './serialize.ts';
export { MAX_PER_PAGE, DEFAULT_PER_PAGE, MAX_PAGE, parsePaging, type ListQuery } from './list-params.ts';
export { MAX_BATCH_REQUESTS, DEFAULT_BATCH_TIMEOUT_MS, type BatchLimits, type BatchResponse } from './batch.ts';
export type { ListResult } from './list-records.ts';
export type { RecordWriteHooks, BeforeRecordWrite } from './write-hooks.ts';
export type { StoredFileRef } from './file-access.ts';
export { DEFAULT_FILE_MAX_SIZE, fileMaxSize } from './record-files.ts';
export { RECORD_BODY_BASE, recordBodyAllowance } from './body-size.ts';
