/**
 * Streams one file part of a multipart/form-data request straight to disk (busboy), for uploads
 * too large to hold in memory (backup archives). Other parts are drained and ignored.
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { Context } from 'hono';
import { AppError, badRequest } from '../shared/errors.ts';

export interface StreamedFile {
  /** The name the client gave the file. */
  filename: string;
  size: number;
}

/** Resolves with the file written to `target`, or null when the form has no `field` file. */
export async function streamFilePart(c: Context, field: string, target: string, maxBytes: number): Promise<StreamedFile | null> {
  const type = c.req.header('content-type') ?? '';
  const body = c.req.raw.body;
  if (!type.toLowerCase().startsWith('multipart/form-data') || !body) return null;
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: { 'content-type': type }, limits: { files: 1, fileSize: maxBytes } });
  } catch {
    throw badRequest('Invalid request body: malformed form data.');
  }
  let found: Promise<StreamedFile> | null = null;
  parser.on('file', (name, stream, info) => {
    if (name !== field || found) {
      stream.resume();
      return;
    }
    let size = 0;
    let truncated = false;
    stream.on('data', (chunk: Buffer) => (size += chunk.length));
    stream.on('limit', () => (truncated = true));
    found = pipeline(stream, createWriteStream(target)).then(() => {
      if (truncated) throw new AppError('too_large', `The file is larger than the limit of ${maxBytes} bytes.`);
      return { filename: info.filename ?? '', size };
    });
  });
  try {
    await pipeline(Readable.fromWeb(body as import('node:stream/web').ReadableStream), parser);
  } catch {
    throw badRequest('Invalid request body: malformed form data.');
  }
  return found ? await found : null;
}
