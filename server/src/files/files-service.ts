/**
 * The files service: the active storage driver (local by default, S3 when the `s3` settings
 * enable it), upload staging, the blob port records/ writes through, and thumbnails. Where a
 * local disk is not shared (nodes on PostgreSQL), uploads are refused with a 400 until S3 is
 * configured: the refusal comes when records/ names an upload, before anything is written.
 */
import { join } from 'node:path';
import { badRequest } from '../shared/errors.ts';
import { isUpload, type RecordFileStore, type UploadedFile } from '../shared/uploads.ts';
import { createLocalStorage } from './local-storage.ts';
import { createS3Storage } from './s3-storage.ts';
import { s3Fingerprint, type S3BucketSettings } from './s3-client.ts';
import { storedFileName } from './names.ts';
import { createStaging, type Staging } from './staging.ts';
import type { FileStorage } from './storage.ts';
import { createThumbnailer, thumbsPrefix, type Thumbnailer } from './thumbs.ts';

export interface FilesDeps {
  /** The data dir: blobs go to `storage/`, staged uploads to `.uploads/`. */
  dir: string;
  /** Failures that must not fail a request (a cleanup after commit, a thumb that falls back). */
  onError: (message: string, err: unknown) => void;
  /** Set: uploads are refused with this 400 message while the local driver is active (S3 not configured). */
  localUploadsRefused?: string;
}

export interface FilesService {
  storage(): FileStorage;
  /** Switches drivers when the `s3` settings change (null or disabled: the local filesystem). */
  configure(s3: S3BucketSettings | null | undefined): void;
  staging: Staging;
  store: RecordFileStore;
  thumbs: Thumbnailer;
  /** Removes staged temp files of a request (whether or not they were stored). */
  discardUploads(values: Iterable<unknown>): Promise<void>;
  close(): void;
}

export function createFilesService(deps: FilesDeps): FilesService {
  const local = createLocalStorage(join(deps.dir, 'storage'));
  let active: FileStorage = local;
  let activeS3 = '';
  const storage = () => active;

  const store: RecordFileStore = {
    newName(original, type) {
      if (deps.localUploadsRefused !== undefined && active === local) throw badRequest(deps.localUploadsRefused);
      return storedFileName(original, extensionOf(type));
    },
    put: (key, file: UploadedFile) => active.put(key, file.path, file.type),
    async delete(keys) {
      for (const key of keys) {
        await active.delete(key);
        await active.deletePrefix(thumbsPrefix(key));
      }
    },
    deletePrefix: (prefix) => active.deletePrefix(prefix),
  };

  return {
    storage,
    configure(s3) {
      const wanted = s3?.enabled ? s3Fingerprint(s3) : '';
      if (wanted === activeS3) return;
      if (active !== local) active.close();
      active = s3?.enabled ? createS3Storage(s3) : local;
      activeS3 = wanted;
    },
    staging: createStaging(join(deps.dir, '.uploads')),
    store,
    thumbs: createThumbnailer(storage, (err) => deps.onError('thumbnail generation failed; serving the original', err)),
    async discardUploads(values) {
      const files: UploadedFile[] = [];
      const visit = (v: unknown): void => {
        if (isUpload(v)) files.push(v);
        else if (Array.isArray(v)) v.forEach(visit);
      };
      for (const v of values) visit(v);
      await this.staging.discard(files);
    },
    close() {
      if (active !== local) active.close();
    },
  };
}

/** The usual extension of a sniffed type, for uploads whose name has none. */
function extensionOf(type: string): string {
  const sub = type.split('/')[1] ?? '';
  const known: Record<string, string> = { jpeg: 'jpg', 'svg+xml': 'svg', plain: 'txt', 'octet-stream': '' };
  return sub in known ? known[sub]! : sub.replace(/[^a-z0-9]/g, '').slice(0, 10);
}
