/**
 * File downloads (PocketBase-compatible): GET/HEAD /api/files/{collection}/{recordId}/{filename} with `?thumb=`, `?download=1`, `?token=`,
 * ETag/If-None-Match and single byte ranges. Access is decided by records/ (rules); what is
 * stored and how it is served, by files/. The token itself comes from POST /api/files/token
 * (routes/file-token.ts).
 */
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { RecordsService } from '../../records/index.ts';
import { DEFAULT_THUMBS, FILE_CSP, servePolicy, type BlobInfo, type ByteRange, type FilesService } from '../../files/index.ts';
import type { Collection } from '../../collections/model.ts';
import type { RequestAuth } from '../../rules/index.ts';
import { notFound } from '../../shared/errors.ts';
import { requestInfo, type HearthEnv } from '../context.ts';

export interface FileRouteDeps {
  records: RecordsService;
  files: FilesService;
  /** The auth record a valid file token stands for. */
  verifyFileToken(token: string): Promise<{ collection: Collection; record: Record<string, unknown> } | null>;
  /** False when a superuser may not act from this request's address (`superuserIPs`). */
  superuserAllowed?: (c: Context) => boolean;
}

/** Browsers may keep a file 30 days, reusing it for a day while revalidating (PocketBase's choice). */
const CACHE_CONTROL = 'max-age=2592000, stale-while-revalidate=86400';

export function fileRoutes(deps: FileRouteDeps): Hono<HearthEnv> {
  const app = new Hono<HearthEnv>();

  app.on(['GET', 'HEAD'], '/api/files/:collection/:recordId/:filename', async (c) => {
    const token = c.req.query('token');
    const verified = token ? await deps.verifyFileToken(token) : null;
    // A superuser's file token from outside `superuserIPs` counts for nothing (PocketBase's precaution).
    const outOfList = verified?.collection.name === '_superusers' && deps.superuserAllowed?.(c) === false;
    const info = { ...requestInfo(c), auth: outOfList ? null : asAuth(verified) };
    const filename = c.req.param('filename');
    const ref = await deps.records.downloadable(c.req.param('collection'), c.req.param('recordId'), filename, info);
    const storage = deps.files.storage();
    let key = ref.key;
    let served = filename;
    let blob = await storage.head(key);
    if (!blob) throw notFound();
    const thumb = c.req.query('thumb');
    if (thumb && (DEFAULT_THUMBS.includes(thumb) || (ref.field.thumbs ?? []).includes(thumb))) {
      const thumbKey = await deps.files.thumbs.ensure(key, thumb, blob.contentType);
      const thumbBlob = thumbKey ? await storage.head(thumbKey) : null;
      if (thumbKey && thumbBlob) {
        key = thumbKey;
        served = `${thumb}_${filename}`;
        blob = thumbBlob;
      }
    }
    return serveBlob(c, deps.files, key, served, blob);
  });

  return app;
}

const asAuth = (v: Awaited<ReturnType<FileRouteDeps['verifyFileToken']>>): RequestAuth | null =>
  v ? { collection: v.collection, record: v.record, isSuperuser: v.collection.name === '_superusers' } : null;

function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null; // multiple or malformed ranges: the whole file
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

const etagMatches = (header: string | undefined, etag: string): boolean =>
  header !== undefined && header.split(',').some((t) => t.trim() === etag || t.trim() === '*' || t.trim() === `W/${etag}`);

async function serveBlob(c: Context<HearthEnv>, files: FilesService, key: string, name: string, blob: BlobInfo): Promise<Response> {
  const download = /^(1|t|true)$/i.test(c.req.query('download') ?? '');
  const policy = servePolicy(blob.contentType, download);
  const headers: Record<string, string> = {
    'Content-Type': policy.contentType,
    'Content-Disposition': `${policy.disposition}; filename=${name}`,
    'Content-Security-Policy': FILE_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': CACHE_CONTROL,
    'Accept-Ranges': 'bytes',
    ETag: blob.etag,
    'Last-Modified': blob.modified.toUTCString(),
  };
  if (etagMatches(c.req.header('if-none-match'), blob.etag)) return c.body(null, 304, headers);
  let range = parseRange(c.req.header('range'), blob.size);
  const ifRange = c.req.header('if-range');
  if (range && ifRange !== undefined && ifRange !== blob.etag) range = null;
  if (range === 'unsatisfiable') return c.body(null, 416, { ...headers, 'Content-Range': `bytes */${blob.size}` });
  const status = range ? 206 : 200;
  if (range) headers['Content-Range'] = `bytes ${range.start}-${range.end}/${blob.size}`;
  headers['Content-Length'] = String(range ? range.end - range.start + 1 : blob.size);
  if (c.req.method === 'HEAD') return c.body(null, status, headers);
  const stream = await files.storage().read(key, range ?? undefined);
  if (!stream) throw notFound();
  return c.body(Readable.toWeb(stream) as ReadableStream, status, headers);
}
