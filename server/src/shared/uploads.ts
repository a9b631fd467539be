/**
 * An uploaded file as the HTTP layer hands it to the domains: already streamed to a temporary
 * file (limits enforced while reading), its content type sniffed from the bytes. And the small
 * port through which records/ stores and deletes blobs without knowing the storage driver.
 */

export class UploadedFile {
  /** The client's file name, untrusted (sanitised before it is stored). */
  readonly name: string;
  readonly size: number;
  /** Sniffed from the content, never taken from the client. */
  readonly type: string;
  /** Where the bytes wait until they are stored (removed by whoever staged them). */
  readonly path: string;

  constructor(name: string, size: number, type: string, path: string) {
    this.name = name;
    this.size = size;
    this.type = type;
    this.path = path;
  }
}

export const isUpload = (value: unknown): value is UploadedFile => value instanceof UploadedFile;

/** Blobs of one record live under `{collectionId}/{recordId}/`. */
export const recordFilesPrefix = (collectionId: string, recordId: string): string => `${collectionId}/${recordId}/`;

export interface RecordFileStore {
  /** A stored name for an upload: the original sanitised, plus a random part. */
  newName(original: string, type: string): string;
  put(key: string, file: UploadedFile): Promise<void>;
  /** Deletes the blobs (and their thumbnails); missing ones are not an error. */
  delete(keys: string[]): Promise<void>;
  /** Deletes every blob whose key starts with `prefix`. */
  deletePrefix(prefix: string): Promise<void>;
}
