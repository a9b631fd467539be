/**
 * The storage interface every driver implements (local filesystem, S3). Keys are relative,
 * `/`-separated paths built by files/ itself (`{collectionId}/{recordId}/{name}`); a driver
 * refuses any key that could escape its root.
 */
import type { Readable } from 'node:stream';

export interface BlobInfo {
  size: number;
  contentType: string;
  modified: Date;
  /** A strong validator for If-None-Match (quoted). */
  etag: string;
}

export interface ByteRange {
  /** Inclusive first byte. */
  start: number;
  /** Inclusive last byte. */
  end: number;
}

export interface FileStorage {
  /** Stores the file at `sourcePath` (read as a stream) under `key`. */
  put(key: string, sourcePath: string, contentType: string): Promise<void>;
  /** Stores a small in-memory value (thumbnails). */
  putBuffer(key: string, data: Buffer, contentType: string): Promise<void>;
  /** Metadata, or null when the key does not exist. */
  head(key: string): Promise<BlobInfo | null>;
  /** The bytes (optionally a range), or null when the key does not exist. */
  read(key: string, range?: ByteRange): Promise<Readable | null>;
  /** Missing keys are not an error. */
  delete(key: string): Promise<void>;
  /** Deletes every key under `prefix` (which ends with `/`). */
  deletePrefix(prefix: string): Promise<void>;
  /** Keys under `prefix`, for tests and maintenance. */
  list(prefix: string): Promise<string[]>;
  close(): void;
}

/** Path segments of a key, each checked: no empty, `.`, `..`, backslash or control characters. */
export function keySegments(key: string): string[] {
  const parts = key.split('/');
  if (key.length > 1024 || parts.length === 0) throw new Error(`Invalid storage key "${key}".`);
  for (const p of parts) {
    // eslint-disable-next-line no-control-regex
    if (p === '' || p === '.' || p === '..' || /[\\\u0000-\u001f]/.test(p)) throw new Error(`Invalid storage key "${key}".`);
  }
  return parts;
}

export const isPrefix = (prefix: string): boolean => prefix.endsWith('/') && keySegments(prefix.slice(0, -1)).length > 0;
