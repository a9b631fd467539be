/** The one way Hearth builds an S3 client, for stored files and for backups alike. */
import { S3Client } from '@aws-sdk/client-s3';

export interface S3ClientSettings {
  region: string;
  endpoint: string;
  forcePathStyle: boolean;
  accessKey: string;
  secret: string;
}

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
