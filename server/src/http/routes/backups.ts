/**
 * `/api/backups` (PocketBase-compatible): list, create, upload, download (with a superuser file
 * token in `?token=`), delete and restore. Superusers only; the work is the backup service's.
 */
import { Hono, type Context } from 'hono';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import type { BackupService } from '../../admin/index.ts';
import { fieldError, forbidden, notFound, validationError } from '../../shared/errors.ts';
import { readBody } from '../body.ts';
import type { HearthEnv } from '../context.ts';
import { requireSuperuser } from '../guards.ts';
import { streamFilePart } from '../stream-upload.ts';
import { fixedSegment } from '../fixed-segment.ts';

/** Largest accepted backup upload: backups skip the request body limit, but not every limit. */
export const MAX_BACKUP_UPLOAD_BYTES = 64 * 1024 ** 3;

export interface BackupRoutesDeps {
  backups: BackupService;
  /** True when `token` is a valid file token of a superuser. */
  isSuperuserFileToken: (token: string, c: Context) => Promise<boolean>;
}

const onlyUpload = fixedSegment('key', 'upload', '/api/backups/upload');

export function backupRoutes(deps: BackupRoutesDeps): Hono<HearthEnv> {
  const { backups } = deps;
  const app = new Hono<HearthEnv>();
  app.get('/api/backups', requireSuperuser, async (c) => c.json(await backups.listBackups()));
  app.post('/api/backups', requireSuperuser, async (c) => {
    const body = await readBody(c);
    if (body.name !== undefined && typeof body.name !== 'string') {
      throw validationError('An error occurred while validating the submitted data.', { name: fieldError('validation_invalid_value', 'Must be a string.') });
    }
    await backups.createBackup(body.name || undefined);
    return c.body(null, 204);
  });
  // Registered as `:key` (only `upload` is served): a static `/api/backups/upload` next to
  // `/api/backups/:key/restore` makes Hono's RegExpRouter refuse the route set, and every request
  // of the app then falls back to the slower trie router.
  app.post('/api/backups/:key', onlyUpload, requireSuperuser, async (c) => {
    const target = backups.stagingPath();
    try {
      const file = await streamFilePart(c, 'file', target, MAX_BACKUP_UPLOAD_BYTES);
      if (!file) throw validationError('An error occurred while validating the submitted data.', { file: fieldError('validation_required', 'Cannot be blank.') });
      await backups.uploadBackup(file.filename, target);
      return c.body(null, 204);
    } finally {
      rmSync(dirname(target), { recursive: true, force: true });
    }
  });
  app.get('/api/backups/:key', async (c) => {
    const token = c.req.query('token') ?? '';
    if (!token || !(await deps.isSuperuserFileToken(token, c))) throw forbidden('Insufficient permissions to access the resource.');
    const key = c.req.param('key');
    const found = await backups.openBackup(key);
    if (!found) throw notFound();
    return c.body(Readable.toWeb(found.stream) as ReadableStream, 200, {
      'content-type': 'application/zip',
      'content-length': String(found.size),
      'content-disposition': `attachment; filename="${key.replace(/["\\]/g, '_')}"`,
    });
  });
  app.delete('/api/backups/:key', requireSuperuser, async (c) => {
    await backups.deleteBackup(c.req.param('key'));
    return c.body(null, 204);
  });
  app.post('/api/backups/:key/restore', requireSuperuser, async (c) => {
    await backups.restoreBackup(c.req.param('key'));
    return c.body(null, 204);
  });
  return app;
}
