/**
 * Backup archives in an S3-compatible bucket (PocketBase's `backups.s3` settings): one object per
 * archive at the bucket's top level, named by its key. Archives stream to and from local files
 * with a known length, so memory stays flat whatever their size. `createSettingsBackupStore`
 * picks this store or the local folder per call, following the current settings.
 */
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { formatDate } from '../shared/clock.ts';
import { createS3Client, isMissingObject as isMissing, s3Fingerprint, type S3BucketSettings } from '../files/s3-client.ts';
import { isSafeKey } from './backup-names.ts';
import type { BackupObject, BackupStore } from './backup-store.ts';

export interface ClosableBackupStore extends BackupStore {
  close(): void;
}

export function createS3BackupStore(s3: S3BucketSettings): ClosableBackupStore {
  const client = createS3Client(s3);
  const Bucket = s3.bucket;

  async function stat_(key: string): Promise<BackupObject | null> {
    if (!isSafeKey(key)) return null;
    try {
      const h = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
      return { key, size: Number(h.ContentLength ?? 0), modified: formatDate(h.LastModified ?? new Date(0)) };
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async function get(key: string): Promise<{ stream: Readable; size: number } | null> {
    if (!isSafeKey(key)) return null;
    try {
      const res = await client.send(new GetObjectCommand({ Bucket, Key: key }));
      return res.Body ? { stream: res.Body as Readable, size: Number(res.ContentLength ?? 0) } : null;
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  return {
    async list() {
      const out: BackupObject[] = [];
      let token: string | undefined;
      do {
        // Top-level objects only: a bucket shared with stored files keeps those under `{collection}/`.
        const page = await client.send(new ListObjectsV2Command({ Bucket, Delimiter: '/', ContinuationToken: token }));
        for (const o of page.Contents ?? []) {
          if (o.Key && isSafeKey(o.Key)) out.push({ key: o.Key, size: Number(o.Size ?? 0), modified: formatDate(o.LastModified ?? new Date(0)) });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return out.sort((a, b) => (a.modified < b.modified ? 1 : a.modified > b.modified ? -1 : a.key.localeCompare(b.key)));
    },
    stat: stat_,
    async put(key, localPath) {
      const { size } = await stat(localPath);
      try {
        await client.send(new PutObjectCommand({ Bucket, Key: key, Body: createReadStream(localPath), ContentLength: size, ContentType: 'application/zip' }));
      } finally {
        rmSync(localPath, { force: true });
      }
    },
    read: get,
    async download(key, localPath) {
      const obj = await get(key);
      if (!obj) throw new Error(`Backup ${key} is missing from the bucket.`);
      await pipeline(obj.stream, createWriteStream(localPath));
    },
    async delete(key) {
      if (!(await stat_(key))) return false;
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
      return true;
    },
    close: () => client.destroy(),
  };
}

/**
 * The store the settings ask for right now: S3 while `backups.s3.enabled`, else `local`. The S3
 * client is reused until the settings change.
 */
export function createSettingsBackupStore(local: BackupStore, settings: () => S3BucketSettings | null | undefined): ClosableBackupStore {
  let remote: ClosableBackupStore | null = null;
  let remoteFor = '';
  const current = (): BackupStore => {
    const s3 = settings();
    if (!s3?.enabled) return local;
    const wanted = s3Fingerprint(s3);
    if (!remote || remoteFor !== wanted) {
      remote?.close();
      remote = createS3BackupStore(s3);
      remoteFor = wanted;
    }
    return remote;
  };
  return {
    list: () => current().list(),
    stat: (key) => current().stat(key),
    put: (key, path) => current().put(key, path),
    read: (key) => current().read(key),
    download: (key, path) => current().download(key, path),
    delete: (key) => current().delete(key),
    // Only meaningful for the local folder; a remote archive is downloaded first.
    get localPath() {
      const store = current();
      return store.localPath?.bind(store);
    },
    close: () => remote?.close(),
  } as ClosableBackupStore;
}
