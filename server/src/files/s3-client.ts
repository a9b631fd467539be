/**
 * The one way Hearth builds an S3 client, for stored files and for backups alike: the settings
 * section both use (PocketBase's `s3` and `backups.s3` shape), the client, and how a missing
 * object looks in the SDK's errors.
 */
import { S3Client, S3ServiceException } from '@aws-sdk/client-s3';

export interface S3ClientSettings {
  region: string;
  endpoint: string;
  forcePathStyle: boolean;
  accessKey: string;
  secret: string;
}

/** PocketBase's `s3` settings section (and `backups.s3`, which has the same shape). */
export interface S3BucketSettings extends S3ClientSettings {
  enabled: boolean;
  bucket: string;
}

/** The settings that pick a bucket and its credentials: when two are equal, one client serves both. */
export const s3Fingerprint = (s3: S3BucketSettings): string =>
  JSON.stringify([s3.bucket, s3.region, s3.endpoint, s3.accessKey, s3.secret, s3.forcePathStyle]);

/** Whether an SDK error says the object (or bucket entry) is not there. */
export const isMissingObject = (err: unknown): boolean =>
  err instanceof S3ServiceException && (err.$metadata.httpStatusCode === 404 || err.name === 'NoSuchKey' || err.name === 'NotFound');

export function createS3Client(s3: S3ClientSettings): S3Client {
  return new S3Client({
    region: s3.region || 'us-east-1',
    endpoint: s3.endpoint || undefined,
    forcePathStyle: s3.forcePathStyle,
    credentials: { accessKeyId: s3.accessKey, secretAccessKey: s3.secret },
    // Many S3-compatible servers do not understand the SDK's default aws-chunked checksum
    // trailers; checksums only where the API requires them keeps uploads portable.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
