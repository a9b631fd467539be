/**
 * The S3-compatible driver (AWS, MinIO, R2, …) over @aws-sdk/client-s3. Uploads stream from the
 * staged file with a known length, so memory stays flat whatever the size. Settings follow
 * PocketBase's `s3` section.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { createS3Client, isMissingObject as isMissing, type S3BucketSettings } from './s3-client.ts';
import { isPrefix, keySegments, type BlobInfo, type FileStorage } from './storage.ts';

/** S3's own cap on one DeleteObjects call. */
const DELETE_BATCH = 1000;

export function createS3Storage(s3: S3BucketSettings): FileStorage {
  const client = createS3Client(s3);
  const Bucket = s3.bucket;
  const check = (key: string): string => (keySegments(key), key);

  async function keysUnder(prefix: string): Promise<string[]> {
    if (!isPrefix(prefix)) throw new Error(`Invalid storage prefix "${prefix}".`);
    const out: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of page.Contents ?? []) if (o.Key) out.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out.sort();
  }

  return {
    async put(key, sourcePath, contentType) {
      const { size } = await stat(sourcePath);
      await client.send(
        new PutObjectCommand({ Bucket, Key: check(key), Body: createReadStream(sourcePath), ContentLength: size, ContentType: contentType }),
      );
    },

    async putBuffer(key, data, contentType) {
      await client.send(new PutObjectCommand({ Bucket, Key: check(key), Body: data, ContentType: contentType }));
    },

    async head(key): Promise<BlobInfo | null> {
      try {
        const h = await client.send(new HeadObjectCommand({ Bucket, Key: check(key) }));
        return {
          size: Number(h.ContentLength ?? 0),
          contentType: h.ContentType ?? 'application/octet-stream',
          modified: h.LastModified ?? new Date(0),
          etag: h.ETag ?? `"${Number(h.ContentLength ?? 0).toString(16)}"`,
        };
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },

    async read(key, range): Promise<Readable | null> {
      try {
        const res = await client.send(
          new GetObjectCommand({ Bucket, Key: check(key), Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
        );
        return (res.Body as Readable | undefined) ?? null;
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },

    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: check(key) }));
    },

    async deletePrefix(prefix) {
      const keys = await keysUnder(prefix);
      for (let i = 0; i < keys.length; i += DELETE_BATCH) {
        const Objects = keys.slice(i, i + DELETE_BATCH).map((Key) => ({ Key }));
        await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects, Quiet: true } }));
      }
    },

    list: keysUnder,

    close() {
      client.destroy();
    },
  };
}
