/**
 * files/ — storage drivers (local filesystem, S3), upload staging and sniffing, stored names,
 * thumbnails and the serving policy. Knows nothing of records (they reach it through the
 * RecordFileStore port in shared/). Imports shared/ only. Entry point: createFilesService(deps).
 */
export { createFilesService, type FilesService, type FilesDeps } from './files-service.ts';
export { createLocalStorage } from './local-storage.ts';
export { createS3Storage } from './s3-storage.ts';
export type { S3BucketSettings } from './s3-client.ts';
export type { FileStorage, BlobInfo, ByteRange } from './storage.ts';
export { storedFileName, STORED_NAME, RANDOM_SUFFIX_LENGTH } from './names.ts';
export { sniffBuffer, sniffFile, SNIFF_BYTES, type Sniffed } from './sniff.ts';
export { DEFAULT_THUMBS, THUMB_SIZE, THUMB_SOURCE_TYPES, MAX_THUMB_WORKERS, parseThumb, renderThumb, thumbKey, type Thumbnailer } from './thumbs.ts';
export { servePolicy, FILE_CSP, INLINE_TYPES } from './serve-policy.ts';
export type { Staging } from './staging.ts';
