/**
 * Bodies of record writes (create, update, batch). Parsed only when they are JSON, multipart or
 * urlencoded — any other type is a 400, so a cross-site `text/plain` form post cannot write.
 * Multipart streams through busboy: each file part goes straight to a staged temp file (capped
 * at its field's size), the PocketBase SDK's `@jsonPayload` parts are merged into the fields.
 */
import { Readable } from 'node:stream';
import busboy from 'busboy';
import type { Context } from 'hono';
import type { Staging } from '../files/index.ts';
import { AppError, badRequest } from '../shared/errors.ts';
import { isUpload, type UploadedFile } from '../shared/uploads.ts';
import { readBody, type Body } from './body.ts';
import { parseJsonBounded } from '../shared/json.ts';

/** Parts (fields + files) one request may carry; PocketBase's per-record limits sit far below. */
export const MAX_FORM_PARTS = 1000;
/** Files one request may upload. */
export const MAX_FORM_FILES = 500;

export interface RecordBodyOptions {
  staging: Staging;
  /** Bytes kept of a file part named `part` (its field's maxSize); the rest is counted, not stored. */
  capFor: (part: string) => number;
  /** Largest non-file part (the JSON payload), bytes. */
  maxFieldSize: number;
}

const invalid = (detail: string) => badRequest(`Invalid request body: ${detail}`);

export function recordBodyKind(type: string): 'json' | 'multipart' | 'urlencoded' | 'none' | 'other' {
  const t = type.split(';')[0]!.trim().toLowerCase();
  if (t === '') return 'none';
  if (t === 'application/json' || t.endsWith('+json')) return 'json';
  if (t === 'multipart/form-data') return 'multipart';
  if (t === 'application/x-www-form-urlencoded') return 'urlencoded';
  return 'other';
}

export async function readRecordBody(c: Context, opts: RecordBodyOptions): Promise<Body> {
  const type = c.req.header('content-type') ?? '';
  switch (recordBodyKind(type)) {
    case 'multipart':
      return readMultipart(c, type, opts);
    case 'json':
    case 'urlencoded':
      return readBody(c);
    case 'none': {
      const text = c.req.raw.body ? await c.req.text() : '';
      if (text.trim() !== '') throw invalid('a body needs a Content-Type of application/json, multipart/form-data or application/x-www-form-urlencoded.');
      return {};
    }
    default:
      throw invalid(`unsupported Content-Type "${type.slice(0, 100)}" (use application/json, multipart/form-data or application/x-www-form-urlencoded).`);
  }
}

function addValue(out: Body, key: string, value: unknown): void {
  if (!(key in out)) out[key] = value;
  else out[key] = [...(Array.isArray(out[key]) ? (out[key] as unknown[]) : [out[key]]), ...(Array.isArray(value) ? value : [value])];
}

function mergePayload(out: Body, text: string): void {
  let parsed: unknown;
  try {
    parsed = parseJsonBounded(text, '@jsonPayload');
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw invalid('malformed JSON in @jsonPayload.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid('@jsonPayload must be a JSON object.');
  for (const [k, v] of Object.entries(parsed)) addValue(out, k, v);
}

async function readMultipart(c: Context, type: string, opts: RecordBodyOptions): Promise<Body> {
  const source = c.req.raw.body;
  if (!source) return {};
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': type },
      limits: { parts: MAX_FORM_PARTS, files: MAX_FORM_FILES, fieldSize: opts.maxFieldSize, fieldNameSize: 200 },
      defParamCharset: 'utf8',
    });
  } catch {
    throw invalid('malformed multipart Content-Type.');
  }
  const fields: Array<[string, string]> = [];
  const files: Array<Promise<[string, UploadedFile]>> = [];
  let failure: AppError | null = null;
  const fail = (err: AppError) => (failure ??= err);

  parser.on('field', (name, value, info) => {
    if (info.valueTruncated) fail(new AppError('too_large', `Form field "${name.slice(0, 100)}" is too large.`));
    else fields.push([name, value]);
  });
  parser.on('file', (name, stream, info) => {
    const job = opts.staging.stage(stream, info.filename || name, Math.max(0, opts.capFor(name))).then((f) => [name, f] as [string, UploadedFile]);
    job.catch(() => undefined); // awaited below; never an unhandled rejection
    files.push(job);
  });
  parser.on('partsLimit', () => fail(invalid(`at most ${MAX_FORM_PARTS} form parts are allowed.`)));
  parser.on('filesLimit', () => fail(invalid(`at most ${MAX_FORM_FILES} files are allowed.`)));

  const done = new Promise<void>((resolve, reject) => {
    parser.on('close', resolve);
    parser.on('error', reject);
  });
  const input = Readable.fromWeb(source as import('node:stream/web').ReadableStream<Uint8Array>);
  input.on('error', (err) => parser.destroy(err));
  input.pipe(parser);

  const staged: UploadedFile[] = [];
  try {
    await done.catch((err: unknown) => {
      if (err instanceof AppError) throw err; // the body limit
      throw invalid('malformed multipart form data.');
    });
    for (const [, f] of await Promise.all(files)) staged.push(f);
    if (failure) throw failure;
  } catch (err) {
    input.destroy();
    const settled = await Promise.allSettled(files);
    for (const s of settled) if (s.status === 'fulfilled') staged.push(s.value[1]);
    await opts.staging.discard(staged);
    throw err;
  }

  const out: Body = {};
  for (const [name, value] of fields) {
    if (name === '@jsonPayload') mergePayload(out, value);
    else addValue(out, name, value);
  }
  const settled = await Promise.all(files);
  for (const [name, file] of settled) addValue(out, name, [file]);
  // A single upload to a key stays a list: records/ decides by the field's maxSelect.
  return out;
}

/** Every staged upload a parsed body holds (so the route can remove the temp files afterwards). */
export function uploadsIn(body: Body): UploadedFile[] {
  const out: UploadedFile[] = [];
  const visit = (v: unknown): void => {
    if (isUpload(v)) out.push(v);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v as Record<string, unknown>).forEach(visit);
  };
  visit(body);
  return out;
}
