/** `POST /api/files/token` (PocketBase): a short-lived token for protected files and backup downloads. */
import { Hono } from 'hono';
import { issueFileToken } from '../../auth/index.ts';
import { badRequest, unauthorized } from '../../shared/errors.ts';
import type { HearthEnv } from '../context.ts';

export function fileTokenRoutes(): Hono<HearthEnv> {
  const app = new Hono<HearthEnv>();
  app.post('/api/files/token', (c) => {
    const auth = c.get('auth');
    if (!auth) throw unauthorized('The request requires valid record authorization token.');
    const token = issueFileToken(auth.collection, auth.record as { id: string });
    if (!token) throw badRequest('Failed to generate file token.');
    return c.json({ token });
  });
  return app;
}
