/** Route guards: superuser-only endpoints answer 401 without a valid token and 403 for others. */
import type { MiddlewareHandler } from 'hono';
import { forbidden, unauthorized } from '../shared/errors.ts';
import type { HearthEnv } from './context.ts';

export const requireSuperuser: MiddlewareHandler<HearthEnv> = async (c, next) => {
  const auth = c.get('auth');
  if (!auth) throw unauthorized('The request requires valid superuser authorization token.');
  if (!auth.isSuperuser) throw forbidden('The authorized record is not allowed to perform this action.');
  await next();
};
