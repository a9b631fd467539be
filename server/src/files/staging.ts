/**
 * Upload staging: each file part streams to a temporary file under the data dir while it is
 * read, so memory stays flat whatever the upload size. Bytes past the part's cap are counted but
 * not written (the records layer then rejects the file by its size); the body limit as a whole
 * is enforced by the HTTP layer.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { UploadedFile } from '../shared/uploads.ts';
import { sniffFile } from './sniff.ts';

export interface Staging {
  /** Streams `source` to a temp file (at most `cap` bytes kept) and sniffs its type. */
  stage(source: Readable, originalName: string, cap: number): Promise<UploadedFile>;
  discard(files: Iterable<UploadedFile>): Promise<void>;
}

export function createStaging(dir: string): Staging {
  let ready: Promise<unknown> | null = null;
  return {
    async stage(source, originalName, cap) {
      ready ??= mkdir(dir, { recursive: true });
      await ready;
      const path = join(dir, `${Date.now().toString(36)}-${randomBytes(8).toString('hex')}.upload`);
      let size = 0;
      const capper = new Transform({
        transform(chunk: Buffer, _enc, done) {
          const keep = Math.max(0, Math.min(chunk.length, cap - size));
          size += chunk.length;
          done(null, keep > 0 ? chunk.subarray(0, keep) : undefined);
        },
      });
      try {
        await pipeline(source, capper, createWriteStream(path));
      } catch (err) {
        await rm(path, { force: true });
        throw err;
      }
      const sniffed = await sniffFile(path);
      return new UploadedFile(originalName, size, sniffed.mime, path);
    },
    async discard(files) {
      await Promise.all([...files].map((f) => rm(f.path, { force: true })));
    },
  };
}
